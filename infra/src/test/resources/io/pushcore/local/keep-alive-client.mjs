// A keep-alive Node client, as CORE's JS server SDK runs on Node 20+: node-fetch 2 puts `Connection: close` on every
// request while Node's agent keeps sockets alive and hands a pooled one to the next request.
// Usage: node keep-alive-client.mjs <url> <calls> <close|keep-alive>
// Makes <calls> POSTs one after the other through one agent and prints one JSON line:
// {"ok": <2xx answers>, "connections": <sockets opened>, "failures": ["call 3: socket hang up", ...]}
import http from 'node:http';

const [url, calls, mode] = [process.argv[2], Number(process.argv[3]), process.argv[4]];
const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
const sockets = new Set();

function call(i) {
  return new Promise((resolve) => {
    const body = JSON.stringify({ call: i });
    const headers = { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) };
    if (mode === 'close') {
      headers.connection = 'close';
    }
    const request = http.request(url, { method: 'POST', agent, headers }, (response) => {
      response.resume();
      response.on('end', () => resolve(response.statusCode >= 200 && response.statusCode < 300
        ? null : `call ${i}: HTTP ${response.statusCode}`));
      response.on('error', (e) => resolve(`call ${i}: ${e.message}`));
    });
    request.on('socket', (socket) => sockets.add(socket));
    request.on('error', (e) => resolve(`call ${i}: ${e.message}`));
    request.setTimeout(10_000, () => request.destroy(new Error('no answer within 10 s')));
    request.end(body);
  });
}

let ok = 0;
const failures = [];
for (let i = 0; i < calls; i++) {
  const failure = await call(i);
  if (failure === null) {
    ok++;
  } else {
    failures.push(failure);
  }
}
agent.destroy();
console.log(JSON.stringify({ ok, connections: sockets.size, failures }));
