import http from 'node:http';
import { startTestApp } from '../helpers/test-app';

/** A GET on `agent`'s kept-alive connections: its status and whether it went out on a reused one. */
function get(url: string, agent: http.Agent): Promise<{ status: number; reused: boolean }> {
  return new Promise((resolve, reject) => {
    const req = http.get(url, { agent }, (res) => {
      res.resume();
      res.on('end', () => resolve({ status: res.statusCode ?? 0, reused: req.reusedSocket }));
      res.on('error', reject);
    });
    req.on('error', reject);
  });
}

// HTTP only: the database plays no part, so the embedded one is enough.
describe('HTTP connections', () => {
  it("keeps a browser's idle connection open between the board's reads, and still stops at once", async () => {
    const app = await startTestApp('pglite');
    const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
    let stopped = false;
    try {
      expect(await get(`${app.url}/healthz`, agent)).toEqual({ status: 200, reused: false });
      // Longer than Node's default of 5 s, after which the server used to close it: the board's
      // counts on the half-minutes then came on new connections, which the app accepts one per turn
      // of its event loop, so they could not be read together.
      await new Promise((resolve) => setTimeout(resolve, 6000));
      expect(await get(`${app.url}/healthz`, agent)).toEqual({ status: 200, reused: true });
      // An idle kept-alive connection does not hold the stop for its 65 s.
      const stopping = Date.now();
      await app.stop();
      stopped = true;
      expect(Date.now() - stopping).toBeLessThan(10_000);
    } finally {
      agent.destroy();
      if (!stopped) await app.stop();
    }
  }, 30_000);
});
