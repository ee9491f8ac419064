import express, { type Router } from 'express';
import request from 'supertest';
import { openApiPath, permission, type Endpoint } from '../../server/http/endpoint';
import { errorHandler } from '../../server/http/problem';
import { buildRouter, checkEndpoints, EndpointDeclarationError } from '../../server/http/router';
import { createLogger } from '../../server/logger';
import { endpoints } from '../../server/resources';
import { useTestApp } from '../helpers/use-test-app';

const key = (method: string, path: string) => `${method.toUpperCase()} ${path}`;

/** The routes an Express router serves, as `METHOD /path`. */
function routesOf(router: Router): string[] {
  return router.stack.flatMap((layer) => {
    const route = layer.route as { path: string; methods: Record<string, boolean> } | undefined;
    if (!route) return [];
    return Object.keys(route.methods).map((method) => key(method, openApiPath(route.path)));
  });
}

const me = endpoints.find((e) => e.path === '/me') as Endpoint;

describe('endpoint declarations', () => {
  const t = useTestApp('pglite');

  it('are served by the router and described by the OpenAPI document, exactly the same set', async () => {
    const declared = endpoints.map((e) => key(e.method, openApiPath(e.path))).sort();
    expect(new Set(declared).size).toBe(declared.length);

    const routed = routesOf(buildRouter(endpoints, t.app.running.ctx)).sort();
    expect(routed).toEqual(declared);

    const doc = (await t.app.anonymous().get('/api/v1/openapi.json').expect(200)).body as {
      paths: Record<string, Record<string, { 'x-permission': string }>>;
    };
    const documented = Object.entries(doc.paths)
      .flatMap(([path, operations]) => Object.keys(operations).map((method) => key(method, path)))
      .sort();
    expect(documented).toEqual(declared);
    // Each operation says who may call it.
    expect(doc.paths['/tasks/{id}/claim']?.post?.['x-permission']).toBe('canClaimTasks');
    expect(doc.paths['/auth/login']?.post?.['x-permission']).toBe('public');
  });

  it('refuse to build a router (so the server does not start) when an endpoint declares no permission', () => {
    const undeclared = { ...me, permission: undefined } as unknown as Endpoint;
    expect(() => checkEndpoints([...endpoints, undeclared])).toThrow(EndpointDeclarationError);
    expect(() => buildRouter([undeclared], t.app.running.ctx)).toThrow('GET /me declares no permission');
    const unexplained = { ...me, permission: permission.public(' ') };
    expect(() => checkEndpoints([unexplained])).toThrow('GET /me is public without saying why.');
    expect(() => checkEndpoints([me, me])).toThrow('GET /me is declared twice.');
    expect(() => checkEndpoints(endpoints)).not.toThrow();
  });

  it('check the permission before the handler runs, whatever the handler forgets', async () => {
    let ran = false;
    const careless: Endpoint = {
      ...me,
      permission: permission.policy(function nobody() {
        return false;
      }, 'Nobody may.'),
      handle: () => {
        ran = true;
        return {};
      },
    };
    const app = express();
    const actor = { id: 'u', username: 'u', displayName: 'U', role: 'admin', active: true } as Express.User;
    app.use((req, _res, next) => {
      req.user = actor;
      next();
    });
    app.use(buildRouter([careless], t.app.running.ctx));
    app.use(errorHandler(createLogger('silent')));
    const res = await request(app).get('/me');
    expect(res.status).toBe(403);
    expect(res.body).toMatchObject({ code: 'forbidden', detail: 'Nobody may.' });
    expect(ran).toBe(false);
  });
});
