import { Router } from 'express';
import {
  ChangesQuery,
  CommuneCreate,
  Id,
  IncidentCreate,
  IncidentListQuery,
  IncidentUpdate,
  RegionCreate,
  TaskTypeCreate,
  UserCreate,
  UserUpdate,
} from '../../shared/schemas';
import {
  communeLoad,
  createCommune,
  createRegion,
  createTaskType,
  listCommunesFor,
  listRegionsFor,
  listTaskTypesFor,
  regionLoad,
} from '../domain/communes';
import { issueAccessCode } from '../domain/access-codes';
import type { DomainContext } from '../domain/context';
import { changesSince } from '../domain/history';
import { declareIncident, listIncidentsFor, updateIncident } from '../domain/incidents';
import { changeUser, createUser, listUsers, type UserChange } from '../domain/users';
import { actorOf, body, param, query } from '../http/validate';

/** Regions, communes, incidents, task types, the changes feed and accounts: the small resources. */
export function regionRouter(ctx: DomainContext, hooks: { onUserChanged?: (change: UserChange) => void } = {}): Router {
  const router = Router();

  router.get('/regions', async (req, res) => {
    res.json(await listRegionsFor(ctx, actorOf(req)));
  });
  router.post('/regions', async (req, res) => {
    const actor = actorOf(req);
    res.status(201).json(await createRegion(ctx, actor, body(RegionCreate, req).name));
  });

  router.get('/communes', async (req, res) => {
    res.json(await listCommunesFor(ctx, actorOf(req)));
  });
  router.post('/communes', async (req, res) => {
    const actor = actorOf(req);
    res.status(201).json(await createCommune(ctx, actor, body(CommuneCreate, req)));
  });
  router.get('/communes/load', async (req, res) => {
    res.json(await regionLoad(ctx, actorOf(req)));
  });
  router.get('/communes/:id/load', async (req, res) => {
    res.json(await communeLoad(ctx, actorOf(req), param(Id, req.params.id, 'commune id')));
  });

  router.get('/task-types', async (req, res) => {
    actorOf(req);
    res.json(await listTaskTypesFor(ctx));
  });
  router.post('/task-types', async (req, res) => {
    const actor = actorOf(req);
    res.status(201).json(await createTaskType(ctx, actor, body(TaskTypeCreate, req)));
  });

  router.get('/incidents', async (req, res) => {
    res.json(await listIncidentsFor(ctx, actorOf(req), query(IncidentListQuery, req)));
  });
  router.post('/incidents', async (req, res) => {
    const actor = actorOf(req);
    res.status(201).json(await declareIncident(ctx, actor, body(IncidentCreate, req)));
  });
  router.patch('/incidents/:id', async (req, res) => {
    const actor = actorOf(req);
    const id = param(Id, req.params.id, 'incident id');
    res.json(await updateIncident(ctx, actor, id, body(IncidentUpdate, req)));
  });

  router.get('/changes', async (req, res) => {
    const actor = actorOf(req);
    const { since, limit } = query(ChangesQuery, req);
    res.json(await changesSince(ctx, actor, since, limit));
  });

  router.get('/users', async (req, res) => {
    res.json(await listUsers(ctx, actorOf(req)));
  });
  router.post('/users', async (req, res) => {
    const actor = actorOf(req);
    res.status(201).json(await createUser(ctx, actor, body(UserCreate, req)));
  });
  router.post('/users/:id/access-codes', async (req, res) => {
    const actor = actorOf(req);
    const id = param(Id, req.params.id, 'user id');
    res.status(201).json(await issueAccessCode(ctx, actor, id));
  });
  router.patch('/users/:id', async (req, res) => {
    const actor = actorOf(req);
    const id = param(Id, req.params.id, 'user id');
    const change = await changeUser(ctx, actor, id, body(UserUpdate, req));
    hooks.onUserChanged?.(change);
    res.json(change.user);
  });

  return router;
}
