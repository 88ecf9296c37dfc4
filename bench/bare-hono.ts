/**
 * The request-path benches' baseline: a bare Hono app on @hono/node-server over HTTPS with the
 * service's certificate. GET /json answers a small JSON document; POST /echo parses a JSON body
 * and answers it with 201, as a create would.
 */
import { readFileSync } from 'node:fs';
import { createServer } from 'node:https';
import { Hono } from 'hono';
import { getRequestListener } from '@hono/node-server';

const app = new Hono();
app.get('/json', (c) => c.json({ kind: 'Status', status: 'ok', id: 'cls_0123456789', createdAt: new Date(0).toISOString() }));
app.post('/echo', async (c) => c.json(await c.req.json(), 201));

const server = createServer({ key: readFileSync(process.env.TLS_KEY!), cert: readFileSync(process.env.TLS_CERT!) }, getRequestListener(app.fetch));
server.listen(Number(process.env.PORT), '127.0.0.1', () => console.log('listening'));
process.on('SIGTERM', () => {
  server.closeAllConnections();
  server.close(() => process.exit(0));
});
