// A tiny local HTTP server with the neutral page that the quick exit leads to.
// The real exit target would be an outside site, but the network is closed,
// so FRIDHEM_QUICK_EXIT_URL points here.

import http from 'node:http';
import { EXIT_PAGE_TITLE } from './pages.mjs';

const BODY = `<!doctype html>
<html lang="sv">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${EXIT_PAGE_TITLE}</title></head>
<body><h1>${EXIT_PAGE_TITLE}</h1><p>Mestadels soligt, 18 grader.</p></body>
</html>
`;

/** Starts the exit server on 127.0.0.1 and a free port. Resolves to { url, close }. */
export function startExitServer() {
  const server = http.createServer((req, res) => {
    if (req.url === '/favicon.ico') {
      res.writeHead(204);
      res.end();
      return;
    }
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' });
    res.end(BODY);
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      resolve({
        url: `http://127.0.0.1:${port}/weather`,
        close: () => new Promise((r) => { server.closeAllConnections?.(); server.close(() => r()); }),
      });
    });
  });
}
