/**
 * The `kap-answer` CodeSystem, generated from the instrument Questionnaires (never written by hand): every
 * answer-option Coding in the local answer system (PCL-5, CADSS-6, PHQ-9 difficulty, …) becomes one concept,
 * in the order the instruments list them. See docs/instruments.md.
 */
import { kapCodeSystem } from '../src/terminology/systems.js';

/** A FHIR resource as plain JSON. */
export type Json = Record<string, unknown> & { resourceType: string; id?: string; url?: string };

interface AnswerOptionLike {
  valueCoding?: { system?: string; code?: string; display?: string };
}
interface ItemLike {
  answerOption?: AnswerOptionLike[];
  item?: ItemLike[];
}

/** URL of the local answer code system. */
export const KAP_ANSWER_URL = kapCodeSystem('kap-answer');

function collect(items: ItemLike[] | undefined, into: Map<string, string | undefined>): void {
  for (const item of items ?? []) {
    for (const option of item.answerOption ?? []) {
      const c = option.valueCoding;
      if (c?.system === KAP_ANSWER_URL && c.code) {
        const known = into.get(c.code);
        if (into.has(c.code) && known !== c.display) {
          throw new Error(`kap-answer#${c.code} has two displays in the instruments`);
        }
        into.set(c.code, c.display);
      }
    }
    collect(item.item, into);
  }
}

/**
 * Builds the kap-answer CodeSystem from the generated Questionnaires.
 * @param questionnaires - the instrument Questionnaires
 * @param version - the package version
 * @returns the CodeSystem, or undefined when no Questionnaire uses the local answer system
 */
export function answerCodeSystem(questionnaires: Json[], version: string): Json | undefined {
  const concepts = new Map<string, string | undefined>();
  for (const q of questionnaires) {
    collect(q.item as ItemLike[] | undefined, concepts);
  }
  if (concepts.size === 0) {
    return undefined;
  }
  return {
    resourceType: 'CodeSystem',
    id: 'kap-answer',
    url: KAP_ANSWER_URL,
    version,
    name: 'KapAnswerCS',
    title: 'KAP Answer',
    status: 'draft',
    experimental: false,
    publisher: 'kap-fhir',
    description:
      'Answer options of the KAP instruments that have no verified LOINC answer codes (instruments.md): ' +
      'generated from src/instruments by scripts/build-profiles.ts.',
    caseSensitive: true,
    content: 'complete',
    count: concepts.size,
    concept: [...concepts].map(([code, display]) => (display ? { code, display } : { code })),
  };
}
