/**
 * Generates an instrument's FHIR R4 Questionnaire from its item table (the only copy: profiles/ publishes this output).
 * Answer scores travel as the core `ordinalValue` extension on each answerOption; branching as enableWhen, or (C-SSRS,
 * `branching: optional`) as plain optional items.
 */
import type { Coding, Questionnaire, QuestionnaireItem, QuestionnaireItemAnswerOption } from '@medplum/fhirtypes';
import { ORDINAL_VALUE_URL } from './answer-options.js';
import type { InstrumentItem } from './types.js';

/** Header data of a generated Questionnaire. */
export interface QuestionnaireHeader {
  /** Resource id = instrument id. */
  id: string;
  url: string;
  version: string;
  /** Machine name (`[A-Z][A-Za-z0-9_]*`). */
  name: string;
  title: string;
  description: string;
  /** LOINC panel code, where one exists. */
  code?: Coding;
  /** Copyright / license notice of the instrument. */
  copyright: string;
  /**
   * How items with a branching condition are published: `enable-when` (default) as R4 enableWhen; `optional` as
   * plain optional items (no enableWhen, required false) so a response answering a follow-up the branching would skip
   * stays valid FHIR (C-SSRS: contradictory answers are kept and flagged, contract issue 13). Scoring still applies
   * the branching from the instrument's items.
   */
  branching?: 'enable-when' | 'optional';
}

function answerOption(code: Coding, score: number): QuestionnaireItemAnswerOption {
  return {
    extension: [{ url: ORDINAL_VALUE_URL, valueDecimal: score }],
    valueCoding: { ...code },
  };
}

function questionnaireItem(
  item: InstrumentItem,
  all: readonly InstrumentItem[],
  branching: 'enable-when' | 'optional'
): QuestionnaireItem {
  const out: QuestionnaireItem = {
    linkId: item.linkId,
    ...(item.code ? { code: [{ ...item.code }] } : {}),
    text: item.text,
    type: 'choice',
  };
  const conditions = item.enableWhen ?? [];
  const conditional = conditions.length > 0;
  if (conditional && branching === 'enable-when') {
    out.enableWhen = conditions.map((c) => {
      const target = all.find((i) => i.linkId === c.question);
      const option = target?.options.find((o) => o.score === c.answerScore);
      if (!option) {
        throw new Error(`enableWhen of ${item.linkId} names no option of ${c.question}`);
      }
      return { question: c.question, operator: '=', answerCoding: { ...option.code } };
    });
    if (out.enableWhen.length > 1) {
      out.enableBehavior = 'any';
    }
  }
  out.required = item.required && !(conditional && branching === 'optional');
  out.answerOption = item.options.map((o) => answerOption(o.code, o.score));
  return out;
}

/**
 * Builds the Questionnaire (status active, subjectType Patient). Deterministic: same JSON every call.
 * @param header - url, version, names, LOINC panel code, copyright
 * @param items - the instrument's item table
 */
export function buildQuestionnaire(header: QuestionnaireHeader, items: readonly InstrumentItem[]): Questionnaire {
  const q: Questionnaire = {
    resourceType: 'Questionnaire',
    id: header.id,
    url: header.url,
    version: header.version,
    name: header.name,
    title: header.title,
    status: 'active',
    experimental: false,
    subjectType: ['Patient'],
    publisher: 'kap-fhir',
    description: header.description,
    copyright: header.copyright,
  };
  if (header.code) {
    q.code = [{ ...header.code }];
  }
  q.item = items.map((i) => questionnaireItem(i, items, header.branching ?? 'enable-when'));
  return q;
}
