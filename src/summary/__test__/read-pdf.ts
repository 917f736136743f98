/** Test helper: a PDF's text, read back by a library (unpdf), as the issue asks the summaries to be checked. */
import { extractText, getDocumentProxy, getMeta } from 'unpdf';

/** The PDF's text per page (whitespace runs collapsed), all pages joined, and its metadata. */
export async function readPdf(pdf: Buffer | Uint8Array): Promise<{ pages: string[]; all: string; info: Record<string, unknown> }> {
  const doc = await getDocumentProxy(new Uint8Array(pdf));
  const { text } = await extractText(doc, { mergePages: false });
  const pages = text.map((t) => t.replace(/\s+/g, ' '));
  const { info } = await getMeta(doc);
  return { pages, all: pages.join(' '), info: info as Record<string, unknown> };
}
