/**
 * `remsMonitoringPdf(response, questionnaire)`: the Spravato REMS monitoring record as a one- or two-page PDF a REMS
 * coordinator transcribes the form from — each section of the Questionnaire a heading, each field a row of two columns
 * (field, answer), a field the session could not fill shown as "not recorded" (and "required" when the record needs
 * it). pdfkit with its standard fonts only (no font files, no browser). Holds PHI: never log or cache it.
 */
import PDFDocument from 'pdfkit';
import type {
  Questionnaire,
  QuestionnaireItem,
  QuestionnaireResponse,
  QuestionnaireResponseItem,
  QuestionnaireResponseItemAnswer,
} from '@medplum/fhirtypes';

const MARGIN = 48;
const GAP = 12;
const LABEL_SHARE = 0.56;
const FONT = 'Helvetica';
const BOLD = 'Helvetica-Bold';
const MUTED = '#555555';
const WARN = '#a40000';

/** Text shown for a field without an answer. */
export const NOT_RECORDED = 'not recorded';

/** A FHIR dateTime as the clinic wrote it: `2026-08-10 09:10 (UTC-07:00)`; other strings unchanged. */
export function formatDateTime(value: string): string {
  const m = /^(\d{4}-\d{2}-\d{2})T(\d{2}:\d{2})(?::\d{2}(?:\.\d+)?)?(Z|[+-]\d{2}:\d{2})?$/.exec(value);
  if (!m) {
    return value;
  }
  const offset = m[3] === undefined ? '' : m[3] === 'Z' ? ' (UTC)' : ` (UTC${m[3]})`;
  return `${m[1]} ${m[2]}${offset}`;
}

/** One answer as text. */
export function answerText(answer: QuestionnaireResponseItemAnswer): string {
  if (answer.valueBoolean !== undefined) {
    return answer.valueBoolean ? 'Yes' : 'No';
  }
  if (answer.valueInteger !== undefined) {
    return String(answer.valueInteger);
  }
  if (answer.valueDecimal !== undefined) {
    return String(answer.valueDecimal);
  }
  if (answer.valueDateTime !== undefined) {
    return formatDateTime(answer.valueDateTime);
  }
  if (answer.valueDate !== undefined) {
    return answer.valueDate;
  }
  if (answer.valueString !== undefined) {
    return answer.valueString;
  }
  if (answer.valueCoding !== undefined) {
    return answer.valueCoding.display ?? answer.valueCoding.code ?? '';
  }
  return '';
}

/** Answers by linkId, anywhere in the response. */
function answerIndex(items: readonly QuestionnaireResponseItem[] | undefined, out = new Map<string, QuestionnaireResponseItemAnswer[]>()): Map<string, QuestionnaireResponseItemAnswer[]> {
  for (const item of items ?? []) {
    if (item.answer?.length) {
      out.set(item.linkId, item.answer);
    }
    answerIndex(item.item, out);
  }
  return out;
}

/** Lays out the record on pages: rows of two columns, a new page when a row does not fit. */
class RecordWriter {
  private readonly doc: PDFKit.PDFDocument;
  private readonly width: number;

  constructor(doc: PDFKit.PDFDocument) {
    this.doc = doc;
    this.width = doc.page.width - 2 * MARGIN;
  }

  private ensure(height: number): void {
    if (this.doc.y + height > this.doc.page.height - MARGIN) {
      this.doc.addPage();
    }
  }

  heading(text: string): void {
    this.doc.font(BOLD).fontSize(10.5);
    const h = this.doc.heightOfString(text, { width: this.width });
    this.ensure(h + 24);
    this.doc.moveDown(0.25);
    this.doc.fillColor('black').text(text, MARGIN, this.doc.y, { width: this.width });
    const y = this.doc.y + 2;
    this.doc.moveTo(MARGIN, y).lineTo(MARGIN + this.width, y).lineWidth(0.5).strokeColor('#999999').stroke();
    this.doc.y = y + 3;
  }

  row(label: string, value: string, missing: boolean): void {
    const labelWidth = this.width * LABEL_SHARE;
    const valueWidth = this.width - labelWidth - GAP;
    this.doc.fontSize(9);
    const h = Math.max(
      this.doc.font(FONT).heightOfString(label, { width: labelWidth }),
      this.doc.font(missing ? FONT : BOLD).heightOfString(value, { width: valueWidth })
    );
    this.ensure(h + 4);
    const y = this.doc.y;
    this.doc.font(FONT).fillColor(MUTED).text(label, MARGIN, y, { width: labelWidth });
    this.doc
      .font(missing ? FONT : BOLD)
      .fillColor(missing ? WARN : 'black')
      .text(value, MARGIN + labelWidth + GAP, y, { width: valueWidth });
    this.doc.y = y + h + 1.5;
  }

  paragraph(text: string, color = 'black', size = 10): void {
    this.doc.font(FONT).fontSize(size).fillColor(color).text(text, MARGIN, this.doc.y, { width: this.width });
  }
}

function writeItems(writer: RecordWriter, items: readonly QuestionnaireItem[], answers: Map<string, QuestionnaireResponseItemAnswer[]>): void {
  for (const item of items) {
    if (item.type === 'group') {
      writer.heading(item.text ?? item.linkId);
      writeItems(writer, item.item ?? [], answers);
      continue;
    }
    if (item.type === 'display') {
      writer.paragraph(item.text ?? '', MUTED);
      continue;
    }
    const given = answers.get(item.linkId);
    const label = item.text ?? item.linkId;
    if (given?.length) {
      writer.row(label, given.map(answerText).join('; '), false);
    } else {
      writer.row(label, item.required ? `${NOT_RECORDED} (required)` : NOT_RECORDED, true);
    }
  }
}

/**
 * The required fields of the Questionnaire the response leaves unanswered; a section whose fields are all required
 * and all unanswered (a blood pressure) is named once, as remsMonitoringResponse's `missing` does.
 */
function unansweredRequired(items: readonly QuestionnaireItem[], answers: Map<string, QuestionnaireResponseItemAnswer[]>): QuestionnaireItem[] {
  return items.flatMap((item): QuestionnaireItem[] => {
    if (item.type !== 'group') {
      return item.required && !answers.has(item.linkId) ? [item] : [];
    }
    const children = item.item ?? [];
    const inner = unansweredRequired(children, answers);
    const whole = children.length > 0 && children.every((c) => c.required && c.type !== 'group') && inner.length === children.length;
    return item.required && whole ? [item] : inner;
  });
}

/**
 * Renders the REMS monitoring record.
 * @param response - the record (remsMonitoringResponse)
 * @param questionnaire - its Questionnaire (remsMonitoringQuestionnaire)
 * @returns the PDF bytes
 */
export function remsMonitoringPdf(response: QuestionnaireResponse, questionnaire: Questionnaire): Promise<Buffer> {
  const answers = answerIndex(response.item);
  const missing = unansweredRequired(questionnaire.item ?? [], answers);
  const created = response.authored ? new Date(response.authored) : undefined;
  const doc = new PDFDocument({
    size: 'LETTER',
    margin: MARGIN,
    info: {
      Title: questionnaire.title ?? 'Spravato REMS monitoring record',
      Creator: 'kap-fhir',
      Producer: 'kap-fhir',
      ...(created && !Number.isNaN(created.getTime()) ? { CreationDate: created } : {}),
    },
  });
  const chunks: Buffer[] = [];
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('data', (c: Buffer) => chunks.push(c));
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });
  const writer = new RecordWriter(doc);
  doc.font(BOLD).fontSize(16).fillColor('black').text(questionnaire.title ?? 'Spravato REMS monitoring record', MARGIN, MARGIN);
  doc.moveDown(0.2);
  writer.paragraph(
    'Filled by kap-fhir from the session record, for the REMS coordinator to transcribe. This is not the Spravato REMS ' +
      'Patient Monitoring Form and is not submitted to the REMS.',
    MUTED,
    9
  );
  writer.paragraph(
    `Record ${response.identifier?.value ?? ''}${response.authored ? `, ${formatDateTime(response.authored)}` : ''}; ` +
      `${questionnaire.url ?? ''}${questionnaire.version ? ` version ${questionnaire.version}` : ''}.`,
    MUTED,
    8
  );
  doc.moveDown(0.3);
  if (missing.length === 0) {
    writer.paragraph('Record complete: every required field is recorded.');
  } else {
    writer.paragraph(
      `Record incomplete: ${missing.length} required field${missing.length === 1 ? '' : 's'} not recorded (${missing.map((m) => m.linkId).join(', ')}).`,
      WARN
    );
  }
  writeItems(writer, questionnaire.item ?? [], answers);
  doc.end();
  return done;
}
