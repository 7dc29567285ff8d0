/**
 * Saves text as a file the browser downloads, the way Lightning Web Security allows it: a Blob of an allowed MIME
 * type behind a `blob:` URL, clicked on a temporary anchor, then revoked.
 *
 * Why not a `data:` link: LWS blocks `data:` URIs in anchors and recommends exactly this Blob route
 * (https://developer.salesforce.com/docs/platform/lightning-components-security/guide/lws-blob-download.html).
 * Why `text/plain`: LWS creates Blobs only of allow-listed types, given without parameters such as `;charset=`, and
 * `text/csv` is not on the list (https://developer.salesforce.com/docs/platform/lwc/guide/security-lwsec-mime.html).
 * The file name still ends in `.csv`, and the text carries its own UTF-8 byte order mark for spreadsheets.
 */

/** The Blob type of every file the setup page saves: on the LWS allow-list, no parameters. */
export const DOWNLOAD_MIME_TYPE = 'text/plain';

/** Starts the download of `text` (a string is written as UTF-8) under `fileName`; the URL is revoked at once. */
export function downloadTextFile(text: string, fileName: string): void {
    // LWS refuses only Blob types off its allow-list; scripts/check-lws-usage.ts proves this one is on it.
    // eslint-disable-next-line @locker/locker/distorted-url-create-object-url
    const url = URL.createObjectURL(new Blob([text], { type: DOWNLOAD_MIME_TYPE }));
    try {
        const anchor = document.createElement('a');
        anchor.href = url;
        anchor.download = fileName;
        anchor.click();
    } finally {
        // The click has handed the Blob to the download; keeping the URL would keep the Blob in memory.
        URL.revokeObjectURL(url);
    }
}
