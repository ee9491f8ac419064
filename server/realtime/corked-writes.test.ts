import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { Server, type Socket } from 'socket.io';
import { io as connect, type Socket as ClientSocket } from 'socket.io-client';
import { corkEachSend, tcpSocketOf } from './corked-writes';

/** A real Socket.IO server and a WebSocket client on a free port; `serverSide` is the server's end. */
async function pair(cork: boolean) {
  const server = http.createServer();
  const io = new Server(server);
  const connected = new Promise<Socket>((resolve) => {
    io.on('connection', (socket) => {
      if (cork) corkEachSend(socket);
      resolve(socket);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const client: ClientSocket = connect(`http://127.0.0.1:${port}`, { transports: ['websocket'], forceNew: true });
  const serverSide = await connected;
  return {
    serverSide,
    client,
    close: async () => {
      client.close();
      await io.close();
    },
  };
}

/** Counts the times the TCP socket hands what it was given to the kernel (one write or writev each). */
function countFlushes(tcp: Duplex): { count: number } {
  const counter = { count: 0 };
  const write = tcp._write.bind(tcp);
  tcp._write = (chunk, encoding, callback) => {
    counter.count++;
    write(chunk, encoding, callback);
  };
  const writev = tcp._writev?.bind(tcp);
  if (writev) {
    tcp._writev = (chunks, callback) => {
      counter.count++;
      writev(chunks, callback);
    };
  }
  return counter;
}

async function burst(cork: boolean) {
  const { serverSide, client, close } = await pair(cork);
  try {
    const tcp = tcpSocketOf(serverSide);
    // engine.io and ws still keep the TCP socket where corked-writes.ts looks for it.
    if (!tcp) throw new Error('no TCP socket under the WebSocket transport: see corked-writes.ts');
    const flushes = countFlushes(tcp);
    const received: number[] = [];
    const all = new Promise<void>((resolve) => {
      client.on('tick', (n: number) => {
        received.push(n);
        if (received.length === 200) resolve();
      });
    });
    for (let n = 0; n < 200; n++) serverSide.emit('tick', n);
    await all;
    return { received, flushes: flushes.count };
  } finally {
    await close();
  }
}

const inOrder = Array.from({ length: 200 }, (_, n) => n);

describe('corked writes to live sockets', () => {
  it('writes each frame of a burst on its own without corking (what the test measures)', async () => {
    const { received, flushes } = await burst(false);
    expect(received).toEqual(inOrder);
    expect(flushes).toBeGreaterThan(100);
  });

  it('sends what queued during a write in one write, complete and in order', async () => {
    const { received, flushes } = await burst(true);
    expect(received).toEqual(inOrder);
    // The first frame as it comes, then the 199 that queued meanwhile in one write.
    expect(flushes).toBeLessThanOrEqual(2);
  });
});
