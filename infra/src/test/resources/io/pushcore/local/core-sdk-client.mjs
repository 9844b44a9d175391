// Drives CORE's JS server SDK (ppgco/ppg-core-js-sdk, its built dist/ unchanged) against a base URL: <calls>
// consecutive createBucket calls, as a CORE user's sender makes them. The SDK posts with node-fetch 2 through Node's
// default agent (keep-alive on Node 19+); node-fetch up to 2.6.12 adds `Connection: close`.
// Usage: node core-sdk-client.mjs <sdk dist/server/client/index.js> <base url ending in /v1> <api key> <calls>
// Prints one JSON line: {"ok": <buckets created>, "failures": ["call 1: socket hang up", ...]}
import { pathToFileURL } from 'node:url';

const [sdk, endpoint, apiKey, calls] = [process.argv[2], process.argv[3], process.argv[4], Number(process.argv[5])];
const { PpgCoreClient } = await import(pathToFileURL(sdk).href);
const client = new PpgCoreClient({ endpoint, apiKey });

let ok = 0;
const failures = [];
for (let i = 0; i < calls; i++) {
  try {
    const credentials = [{ type: 'vapid', payload: { publicKey: 'public-' + i, privateKey: 'private' } }];
    const bucket = await client.createBucket(credentials);
    if (bucket.getId()) {
      ok++;
    }
  } catch (e) {
    failures.push(`call ${i}: ${e.message}`);
  }
}
console.log(JSON.stringify({ ok, failures }));
