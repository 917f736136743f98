/**
 * A QuestionnaireResponse against its Questionnaire (resolved by canonical `questionnaire` from
 * the loaded packages): linkIds exist, answer types match item types, required items are
 * answered, `repeats`, answerOption / answerValueSet membership and enableWhen (an item that is
 * not enabled must not be answered; a required item that is not enabled is not missing).
 * Issues name linkIds and paths, never answers.
 */
import type {
  Coding,
  OperationOutcomeIssue,
  QuestionnaireItem,
  QuestionnaireItemEnableWhen,
  QuestionnaireResponse,
  QuestionnaireResponseItem,
  QuestionnaireResponseItemAnswer,
} from '@medplum/fhirtypes';
import { issue } from '../outcomes.js';
import { canonicalUrl, type ConformanceStore } from './conformance-store.js';
import { ValueSetExpander } from './value-set-expansion.js';

/** The `answer.value[x]` keys allowed per Questionnaire item type (R4). */
const ANSWER_KEYS: Record<string, readonly string[]> = {
  boolean: ['valueBoolean'],
  decimal: ['valueDecimal'],
  integer: ['valueInteger'],
  date: ['valueDate'],
  dateTime: ['valueDateTime'],
  time: ['valueTime'],
  string: ['valueString'],
  text: ['valueString'],
  url: ['valueUri'],
  choice: ['valueCoding'],
  'open-choice': ['valueCoding', 'valueString'],
  attachment: ['valueAttachment'],
  reference: ['valueReference'],
  quantity: ['valueQuantity'],
};

type AnswerIndex = Map<string, QuestionnaireResponseItemAnswer[]>;

/**
 * Checks a QuestionnaireResponse against its Questionnaire.
 * @param qr - the response
 * @param path - its FHIRPath expression root (`QuestionnaireResponse`, or a Bundle entry's)
 * @param store - conformance resources (the Questionnaire, answer value sets)
 * @param expander - value-set expander
 * @param issues - where issues are added
 */
export function checkQuestionnaireResponse(
  qr: QuestionnaireResponse,
  path: string,
  store: ConformanceStore,
  expander: ValueSetExpander,
  issues: OperationOutcomeIssue[]
): void {
  if (!qr.questionnaire) {
    return;
  }
  const questionnaire = store.getQuestionnaire(qr.questionnaire);
  if (!questionnaire) {
    const own = store.packageProfileUrls().some((u) => sameBase(u, canonicalUrl(qr.questionnaire as string)));
    issues.push(
      issue(
        own ? 'error' : 'warning',
        'not-found',
        'Questionnaire not found among the loaded packages: answers not checked',
        `${path}.questionnaire`
      )
    );
    return;
  }
  const answers: AnswerIndex = new Map();
  indexAnswers(qr.item ?? [], answers);
  const checker = new ItemChecker(answers, expander, issues, qr.status === 'completed');
  checker.checkLevel(questionnaire.item ?? [], qr.item ?? [], path);
}

function sameBase(profileUrl: string, questionnaireUrl: string): boolean {
  const base = (u: string): string => u.replace(/\/(StructureDefinition|Questionnaire)\/[^/]*$/, '');
  return base(profileUrl) === base(questionnaireUrl);
}

function indexAnswers(items: readonly QuestionnaireResponseItem[], out: AnswerIndex): void {
  for (const item of items) {
    if (item.linkId) {
      out.set(item.linkId, [...(out.get(item.linkId) ?? []), ...(item.answer ?? [])]);
    }
    indexAnswers(item.item ?? [], out);
    for (const a of item.answer ?? []) {
      indexAnswers(a.item ?? [], out);
    }
  }
}

class ItemChecker {
  private readonly answers: AnswerIndex;
  private readonly expander: ValueSetExpander;
  private readonly issues: OperationOutcomeIssue[];
  private readonly complete: boolean;

  constructor(answers: AnswerIndex, expander: ValueSetExpander, issues: OperationOutcomeIssue[], complete: boolean) {
    this.answers = answers;
    this.expander = expander;
    this.issues = issues;
    this.complete = complete;
  }

  checkLevel(defs: readonly QuestionnaireItem[], items: readonly QuestionnaireResponseItem[], path: string): void {
    const byLinkId = new Map(defs.map((d) => [d.linkId, d]));
    items.forEach((item, i) => {
      const itemPath = `${path}.item[${i}]`;
      const def = byLinkId.get(item.linkId);
      if (!def) {
        this.issues.push(issue('error', 'structure', 'Unknown linkId: no such item in the Questionnaire at this level', `${itemPath}.linkId`));
        return;
      }
      this.checkItem(def, item, itemPath);
    });
    for (const def of defs) {
      if (!def.required || !this.complete || !this.enabled(def)) {
        continue;
      }
      const present = items.filter((it) => it.linkId === def.linkId);
      const answered =
        def.type === 'group' ? present.length > 0 : present.some((it) => (it.answer ?? []).length > 0);
      if (!answered) {
        this.issues.push(
          issue('error', 'required', 'Required item is not answered', `${path}.item.where(linkId = '${escapeLinkId(def.linkId)}')`)
        );
      }
    }
  }

  private checkItem(def: QuestionnaireItem, item: QuestionnaireResponseItem, path: string): void {
    const answers = item.answer ?? [];
    if (answers.length > 0 && !this.enabled(def)) {
      this.issues.push(issue('error', 'business-rule', 'Item is answered but not enabled (enableWhen)', path));
    }
    if (def.type === 'group' || def.type === 'display') {
      if (answers.length > 0) {
        this.issues.push(issue('error', 'structure', `An item of type ${def.type} cannot have answers`, `${path}.answer`));
      }
      this.checkLevel(def.item ?? [], item.item ?? [], path);
      return;
    }
    if (answers.length > 1 && !def.repeats) {
      this.issues.push(issue('error', 'structure', 'Item does not repeat but has more than one answer', `${path}.answer`));
    }
    answers.forEach((answer, j) => {
      const answerPath = `${path}.answer[${j}]`;
      this.checkAnswer(def, answer, answerPath);
      this.checkLevel(def.item ?? [], answer.item ?? [], answerPath);
    });
    if (item.item?.length) {
      this.issues.push(issue('error', 'structure', 'Items under a question belong under its answers', `${path}.item`));
    }
  }

  private checkAnswer(def: QuestionnaireItem, answer: QuestionnaireResponseItemAnswer, path: string): void {
    const key = Object.keys(answer).find((k) => k.startsWith('value'));
    if (!key) {
      return; // Medplum reports the missing value[x]
    }
    const allowed = ANSWER_KEYS[def.type] ?? [];
    if (!allowed.includes(key)) {
      this.issues.push(issue('error', 'structure', `Answer type does not match the item type ${def.type}`, `${path}.${key}`));
      return;
    }
    if (key === 'valueCoding' && (def.answerOption?.length || def.answerValueSet)) {
      const coding = answer.valueCoding as Coding;
      if (!this.optionAllowed(def, coding)) {
        this.issues.push(issue('error', 'code-invalid', 'Answer is not one of the item\'s answer options', `${path}.valueCoding`));
      }
    } else if (def.answerOption?.length && key !== 'valueString') {
      const value = (answer as Record<string, unknown>)[key];
      const ok = def.answerOption.some((o) => (o as Record<string, unknown>)[key] === value);
      if (!ok) {
        this.issues.push(issue('error', 'code-invalid', 'Answer is not one of the item\'s answer options', `${path}.${key}`));
      }
    }
  }

  private optionAllowed(def: QuestionnaireItem, coding: Coding): boolean {
    if (def.answerOption?.length) {
      return def.answerOption.some(
        (o) => o.valueCoding && o.valueCoding.code === coding.code && (o.valueCoding.system ?? coding.system) === coding.system
      );
    }
    const expansion = def.answerValueSet ? this.expander.expand(canonicalUrl(def.answerValueSet)) : undefined;
    if (!expansion || typeof coding.code !== 'string') {
      return true;
    }
    return ValueSetExpander.member(expansion, coding.system, coding.code) !== 'no';
  }

  private enabled(def: QuestionnaireItem): boolean {
    const conditions = def.enableWhen ?? [];
    if (conditions.length === 0) {
      return true;
    }
    const results = conditions.map((c) => this.condition(c));
    return def.enableBehavior === 'any' ? results.some(Boolean) : results.every(Boolean);
  }

  private condition(c: QuestionnaireItemEnableWhen): boolean {
    const answers = this.answers.get(c.question) ?? [];
    if (c.operator === 'exists') {
      return (answers.length > 0) === (c.answerBoolean ?? true);
    }
    const expectedKey = Object.keys(c).find((k) => k.startsWith('answer'));
    if (!expectedKey) {
      return false;
    }
    const expected = (c as unknown as Record<string, unknown>)[expectedKey];
    const valueKey = 'value' + expectedKey.slice('answer'.length);
    return answers.some((a) => compare((a as Record<string, unknown>)[valueKey], expected, c.operator));
  }
}

function compare(actual: unknown, expected: unknown, operator: string): boolean {
  if (actual === undefined) {
    return false;
  }
  if (typeof expected === 'object' && expected !== null) {
    const e = expected as { system?: string; code?: string; value?: number };
    const a = actual as { system?: string; code?: string; value?: number };
    const equal = e.code !== undefined ? a.code === e.code && (!e.system || a.system === e.system) : a.value === e.value;
    if (operator === '=') {
      return equal;
    }
    if (operator === '!=') {
      return !equal;
    }
    return e.value !== undefined && a.value !== undefined && compareOrdered(a.value, e.value, operator);
  }
  if (operator === '=') {
    return actual === expected;
  }
  if (operator === '!=') {
    return actual !== expected;
  }
  return compareOrdered(actual as number | string, expected as number | string, operator);
}

function compareOrdered(a: number | string, b: number | string, operator: string): boolean {
  switch (operator) {
    case '>':
      return a > b;
    case '<':
      return a < b;
    case '>=':
      return a >= b;
    case '<=':
      return a <= b;
    default:
      return false;
  }
}

function escapeLinkId(linkId: string): string {
  return linkId.replace(/\\/g, '\\\\').replace(/'/g, "\\'");
}
