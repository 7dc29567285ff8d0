/**
 * The org the preview's UI API stub serves. By default the demo org compiled into the bundle, at once, exactly as
 * before picklists files existed. With `npm start -- --picklists FILE` the server marks the page
 * (`<meta name="stage-automap-org" content="/preview/org.json">`) and serves the org built from the file there, the
 * same objects the Apex stand-in describes; the stub waits for it before answering any wire adapter.
 */
import { objects as demoObjects } from '@preview/demo-org';

const ORG_META = 'stage-automap-org';

let org = { source: 'demo', objects: demoObjects, fileFields: {}, scopes: [] };
let failure;

function orgUrl() {
    try {
        return document.querySelector(`meta[name="${ORG_META}"]`)?.getAttribute('content') ?? null;
    } catch {
        return null;
    }
}

const url = orgUrl();

/** Settles once the served org is read (or could not be); null when the demo org is used. */
const ready = url
    ? fetch(url, { cache: 'no-store' })
          .then((response) => {
              if (!response.ok) {
                  throw new Error(`${url} answered ${response.status}`);
              }
              return response.json();
          })
          .then(
              (served) => {
                  org = served;
              },
              (error) => {
                  failure = error instanceof Error ? error.message : String(error);
              }
          )
    : null;

/** `{ source, objects, fileFields, focus?, scopes, file? }`: see preview/picklists.ts (PreviewOrg). */
export function currentOrg() {
    return org;
}

/** Why the served org could not be read, or undefined. */
export function orgFailure() {
    return failure;
}

/** Runs `callback` once the org is known: at once for the demo org (synchronously, as before), else after the fetch. */
export function whenOrgReady(callback) {
    if (ready === null) {
        callback();
    } else {
        ready.then(callback);
    }
}
