/**
 * Scripts in an XFA form, found as a viewer finds them: the packets concatenated in order (a
 * `<script>` may start in one packet and end in the next), parsed as XML with namespaces, and any
 * element whose local name is `script` — whatever its prefix (`<t:script>`) — counts. If the XML
 * is not well formed (viewers repair it), a tag that reads as a script element counts instead.
 *
 * The XML parser is loaded on the first XFA form, not with the validator: loading it costs a cold
 * process ~20 ms of CPU, and few PDFs have XFA.
 */

const SCRIPT_TAG = /<\s*(?:[A-Za-z_][\w.-]*:)?script[\s/>]/i;

/** Whether the XFA packets, concatenated, contain a script element. */
export async function xfaHasScript(packets: readonly Uint8Array[]): Promise<boolean> {
  const { DOMParser } = await import('@xmldom/xmldom');
  const text = Buffer.concat(packets).toString('utf8');
  let wellFormed = true;
  let found = false;
  try {
    const doc = new DOMParser({
      onError: (level) => {
        if (level !== 'warning') {
          wellFormed = false;
          // xmldom's recovery from some errors is slow on hostile input: the fallback decides.
          throw new Error(level);
        }
      },
    }).parseFromString(text, 'text/xml');
    found = wellFormed && doc.getElementsByTagNameNS('*', 'script').length > 0;
  } catch {
    wellFormed = false;
  }
  return found || (!wellFormed && SCRIPT_TAG.test(text));
}
