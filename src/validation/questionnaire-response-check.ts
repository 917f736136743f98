/**
 * A QuestionnaireResponse against its Questionnaire (resolved by canonical `questionnaire` from
 * the loaded packages, or `#id` from `contained`), with the verdicts of the HL7 Java reference
 * validator (org.hl7.fhir.validation QuestionnaireValidator):
 * - structure: linkIds exist (else not-found), are at the right level, in the Questionnaire's
 *   order, an item that does not repeat appears once, answer types match the item type
 *   (`choice`/`open-choice`: Coding, date, time, integer or string), no answers on group/display
 *   items, no nested items under a question (they belong under its answers), item `text` matches;
 * - `authored` within the Questionnaire's effectivePeriod (warning);
 * - required items answered (error when completed/amended, warning otherwise), enableWhen (an
 *   item that is not enabled must not be answered; a required item that is not enabled is not
 *   missing);
 * - SDC constraints: `maxLength`, minLength, regex, minValue/maxValue (integer, decimal, date,
 *   dateTime, time), maxDecimalPlaces, sdc min/maxQuantity, questionnaire-minOccurs/maxOccurs,
 *   mimeType, maxSize, questionnaire-referenceResource, questionnaire-optionExclusive,
 *   questionnaire-unitOption, questionnaire-unitValueSet;
 * - answers against `answerOption` (Coding by system+code, string, integer, date, time, decimal,
 *   Reference by literal reference)
 *   and `answerValueSet`.
 * Per-item rules are derived once per Questionnaire item (WeakMap cache), not per answer.
 * Issues name the rule, the linkId's path and the Questionnaire's limits, never an answer.
 */
import { createRequire } from 'node:module';
import type {
  Attachment,
  Coding,
  Extension,
  OperationOutcomeIssue,
  Quantity,
  Questionnaire,
  QuestionnaireItem,
  QuestionnaireItemAnswerOption,
  QuestionnaireItemEnableWhen,
  QuestionnaireResponse,
  QuestionnaireResponseItem,
  QuestionnaireResponseItemAnswer,
  Reference,
} from '@medplum/fhirtypes';
import { issue } from '../outcomes.js';
import { canonicalUrl, type ConformanceStore } from './conformance-store.js';
import { ValueSetExpander } from './value-set-expansion.js';

const EXT = {
  minValue: 'http://hl7.org/fhir/StructureDefinition/minValue',
  maxValue: 'http://hl7.org/fhir/StructureDefinition/maxValue',
  minLength: 'http://hl7.org/fhir/StructureDefinition/minLength',
  regex: 'http://hl7.org/fhir/StructureDefinition/regex',
  maxDecimalPlaces: 'http://hl7.org/fhir/StructureDefinition/maxDecimalPlaces',
  minOccurs: 'http://hl7.org/fhir/StructureDefinition/questionnaire-minOccurs',
  maxOccurs: 'http://hl7.org/fhir/StructureDefinition/questionnaire-maxOccurs',
  mimeType: 'http://hl7.org/fhir/StructureDefinition/mimeType',
  maxSize: 'http://hl7.org/fhir/StructureDefinition/maxSize',
  referenceResource: 'http://hl7.org/fhir/StructureDefinition/questionnaire-referenceResource',
  optionExclusive: 'http://hl7.org/fhir/StructureDefinition/questionnaire-optionExclusive',
  unitOption: 'http://hl7.org/fhir/StructureDefinition/questionnaire-unitOption',
  unitValueSet: 'http://hl7.org/fhir/StructureDefinition/questionnaire-unitValueSet',
  minQuantity: 'http://hl7.org/fhir/uv/sdc/StructureDefinition/sdc-questionnaire-minQuantity',
  maxQuantity: 'http://hl7.org/fhir/uv/sdc/StructureDefinition/sdc-questionnaire-maxQuantity',
} as const;

const UCUM = 'http://unitsofmeasure.org';

/** The `answer.value[x]` keys allowed per Questionnaire item type (R4; as the Java validator). */
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
  choice: ['valueCoding', 'valueDate', 'valueTime', 'valueInteger', 'valueString'],
  'open-choice': ['valueCoding', 'valueDate', 'valueTime', 'valueInteger', 'valueString'],
  attachment: ['valueAttachment'],
  reference: ['valueReference'],
  quantity: ['valueQuantity'],
};

/** Item types whose answers `maxLength` limits (R4 que-10: simple question types). */
const MAX_LENGTH_KEYS: ReadonlySet<string> = new Set(['valueString', 'valueUri']);

/** What one Questionnaire item constrains, derived once. */
interface ItemRules {
  readonly minValue?: unknown;
  readonly maxValue?: unknown;
  readonly minLength?: number;
  readonly regex?: RegExp | null; // null: declared but not a usable pattern
  readonly maxDecimalPlaces?: number;
  readonly minOccurs?: number;
  readonly maxOccurs?: number;
  readonly mimeTypes: readonly string[];
  readonly maxSize?: number;
  readonly referenceTypes: readonly string[];
  readonly unitOptions: readonly Coding[];
  readonly unitValueSet?: string;
  readonly minQuantity?: Quantity;
  readonly maxQuantity?: Quantity;
  /** answerOption values by `value[x]` key. */
  readonly options: ReadonlyMap<string, readonly unknown[]>;
  /** `system|code` of the options marked optionExclusive. */
  readonly exclusive: ReadonlySet<string>;
}

const rulesCache = new WeakMap<QuestionnaireItem, ItemRules>();
const linkIdCache = new WeakMap<Questionnaire, Map<string, QuestionnaireItem>>();

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
  const ref = qr.questionnaire;
  if (!ref) {
    return;
  }
  const questionnaire = ref.startsWith('#') ? containedQuestionnaire(qr, ref.slice(1)) : store.getQuestionnaire(ref);
  if (!questionnaire) {
    issues.push(wrongType(ref, qr, store, path) ?? notFound(ref, path, store));
    return;
  }
  checkAuthored(qr, questionnaire, path, issues);
  const answers: AnswerIndex = new Map();
  indexAnswers(qr.item ?? [], answers);
  const completed = qr.status === 'completed' || qr.status === 'amended';
  const checker = new ItemChecker(questionnaire, answers, expander, issues, completed);
  checker.checkLevel(questionnaire.item ?? [], qr.item ?? [], path);
}

/** `authored` outside the Questionnaire's effectivePeriod: a warning (Java QUESTIONNAIRE_QR_AUTHOR_START/END). */
function checkAuthored(qr: QuestionnaireResponse, q: Questionnaire, path: string, issues: OperationOutcomeIssue[]): void {
  const period = q.effectivePeriod;
  if (!period || !qr.authored) {
    return;
  }
  if (period.end && (compareDate(qr.authored, period.end) ?? 0) > 0) {
    issues.push(issue('warning', 'business-rule', "Authored after the end of the Questionnaire's effectivePeriod", `${path}.authored`));
  }
  if (period.start && (compareDate(qr.authored, period.start) ?? 0) < 0) {
    issues.push(issue('warning', 'business-rule', "Authored before the start of the Questionnaire's effectivePeriod", `${path}.authored`));
  }
}

function containedQuestionnaire(qr: QuestionnaireResponse, id: string): Questionnaire | undefined {
  const found = (qr.contained ?? []).find((r) => r.resourceType === 'Questionnaire' && r.id === id);
  return found as Questionnaire | undefined;
}

/**
 * The canonical names a loaded resource that is not a Questionnaire (a ValueSet, a CodeSystem, a
 * StructureDefinition, or a contained resource of another type): an error, as the HL7 validator reports it
 * ("Canonical URL refers to a resource that has the wrong type").
 */
function wrongType(ref: string, qr: QuestionnaireResponse, store: ConformanceStore, path: string): OperationOutcomeIssue | undefined {
  const other = ref.startsWith('#')
    ? (qr.contained ?? []).find((r) => r.id === ref.slice(1))
    : (store.getValueSet(ref) ?? store.getCodeSystem(ref) ?? store.getStructureDefinition(ref));
  if (!other) {
    return undefined;
  }
  return issue('error', 'invalid', `The questionnaire canonical refers to a ${other.resourceType}, not a Questionnaire`, `${path}.questionnaire`);
}

/** Unknown Questionnaire: error in our own namespace, information for example.org, else a warning. */
function notFound(ref: string, path: string, store: ConformanceStore): OperationOutcomeIssue {
  const url = canonicalUrl(ref);
  const own = !ref.startsWith('#') && store.packageProfileUrls().some((u) => sameBase(u, url));
  const example = /^https?:\/\/example\.org(\/|$)/.test(url);
  const severity = own ? 'error' : example ? 'information' : 'warning';
  return issue(severity, 'not-found', 'Questionnaire not found among the loaded packages: answers not checked', `${path}.questionnaire`);
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
  private readonly questionnaire: Questionnaire;
  private readonly answers: AnswerIndex;
  private readonly expander: ValueSetExpander;
  private readonly issues: OperationOutcomeIssue[];
  private readonly completed: boolean;

  constructor(
    questionnaire: Questionnaire,
    answers: AnswerIndex,
    expander: ValueSetExpander,
    issues: OperationOutcomeIssue[],
    completed: boolean
  ) {
    this.questionnaire = questionnaire;
    this.answers = answers;
    this.expander = expander;
    this.issues = issues;
    this.completed = completed;
  }

  private add(severity: OperationOutcomeIssue['severity'], code: OperationOutcomeIssue['code'], text: string, expression: string): void {
    this.issues.push(issue(severity, code, text, expression));
  }

  /** Missing answers: errors once the response is completed/amended, warnings before. */
  private missing(text: string, expression: string): void {
    this.add(this.completed ? 'error' : 'warning', 'required', text, expression);
  }

  checkLevel(defs: readonly QuestionnaireItem[], items: readonly QuestionnaireResponseItem[], path: string): void {
    const indexOf = new Map<string, number>();
    defs.forEach((d, i) => indexOf.set(d.linkId, i));
    const byLinkId = new Map<string, number[]>();
    let last = -1;
    items.forEach((item, i) => {
      const itemPath = `${path}.item[${i}]`;
      if (!item.linkId) {
        this.add('error', 'required', 'Item has no linkId', itemPath);
        return;
      }
      const index = indexOf.get(item.linkId);
      if (index === undefined) {
        const elsewhere = this.findAnywhere(item.linkId);
        if (elsewhere) {
          this.add('error', 'structure', 'Item is in the wrong place: its linkId is defined at another level of the Questionnaire', `${itemPath}.linkId`);
          this.checkItem(elsewhere, item, itemPath);
        } else {
          this.add('error', 'structure', 'Unknown linkId: no such item in the Questionnaire', `${itemPath}.linkId`);
        }
        return;
      }
      if (index < last) {
        this.add('error', 'structure', 'Items are not in the order of the Questionnaire', itemPath);
      }
      last = index;
      byLinkId.set(item.linkId, [...(byLinkId.get(item.linkId) ?? []), i]);
    });
    for (const def of defs) {
      this.checkDefinition(def, items, byLinkId.get(def.linkId) ?? [], path);
    }
  }

  private checkDefinition(def: QuestionnaireItem, items: readonly QuestionnaireResponseItem[], at: readonly number[], path: string): void {
    const enabled = this.enabled(def);
    if (at.length === 0) {
      if (enabled && def.required) {
        this.missing('Required item is not answered', `${path}.item.where(linkId = '${escapeLinkId(def.linkId)}')`);
      }
      return;
    }
    if (at.length > 1 && !def.repeats) {
      this.add('error', 'invalid', 'Item does not repeat but appears more than once', `${path}.item[${at[1]}]`);
    }
    if (def.type === 'group') {
      this.checkOccurs(def, at.length, `${path}.item[${at[0]}]`);
    }
    for (const i of at) {
      const item = items[i];
      const itemPath = `${path}.item[${i}]`;
      if (!enabled && (item.answer?.length || item.item?.length)) {
        this.add('error', 'invalid', 'Item is answered but not enabled (enableWhen)', itemPath);
      }
      this.checkItem(def, item, itemPath);
    }
  }

  private checkItem(def: QuestionnaireItem, item: QuestionnaireResponseItem, path: string): void {
    if (item.text && item.text !== def.text) {
      this.add('error', 'invalid', 'Item text does not match the Questionnaire item text for this linkId', `${path}.text`);
    }
    const answers = item.answer ?? [];
    if (def.type === 'group' || def.type === 'display') {
      if (answers.length > 0) {
        this.add('error', 'structure', `An item of type ${def.type} cannot have answers`, `${path}.answer`);
      }
      if (def.type === 'display') {
        if (item.item?.length) {
          this.add('error', 'structure', 'An item of type display cannot have nested items', `${path}.item`);
        }
        return;
      }
      if (def.required && !item.item?.length && this.enabled(def)) {
        this.add('error', 'invariant', 'A required group must have at least one nested item', path);
      }
      this.checkLevel(def.item ?? [], item.item ?? [], path);
      return;
    }
    if (answers.length === 0 && def.required && this.enabled(def)) {
      this.missing('Required item is not answered', path);
    }
    if (answers.length > 1 && !def.repeats) {
      this.add('error', 'invalid', 'Item does not repeat but has more than one answer', `${path}.answer`);
    }
    this.checkOccurs(def, answers.length, path);
    answers.forEach((answer, j) => {
      const answerPath = `${path}.answer[${j}]`;
      this.checkAnswer(def, answer, answerPath, answers.length);
      this.checkLevel(def.item ?? [], answer.item ?? [], answerPath);
    });
    if (item.item?.length) {
      this.add('error', 'structure', 'Items under a question belong under its answers', `${path}.item`);
    }
  }

  /** questionnaire-minOccurs / maxOccurs: answers of a question, repetitions of a group. */
  private checkOccurs(def: QuestionnaireItem, count: number, path: string): void {
    const rules = itemRules(def);
    if (rules.maxOccurs !== undefined && count > rules.maxOccurs) {
      this.add('error', 'invalid', `More than the ${rules.maxOccurs} repetitions allowed (questionnaire-maxOccurs)`, path);
    }
    if (rules.minOccurs !== undefined && count < rules.minOccurs && count > 0) {
      this.missing(`Fewer than the ${rules.minOccurs} repetitions required (questionnaire-minOccurs)`, path);
    }
  }

  private checkAnswer(def: QuestionnaireItem, answer: QuestionnaireResponseItemAnswer, path: string, answerCount: number): void {
    const key = Object.keys(answer).find((k) => k.startsWith('value'));
    if (!key) {
      return; // Medplum reports the missing value[x]
    }
    const allowed = ANSWER_KEYS[def.type] ?? [];
    if (!allowed.includes(key)) {
      this.add('error', 'structure', `Answer type does not match the item type ${def.type}`, `${path}.${key}`);
      return;
    }
    const valuePath = `${path}.${key}`;
    const value = (answer as Record<string, unknown>)[key];
    const rules = itemRules(def);
    const choice = def.type === 'choice' || def.type === 'open-choice';
    if (def.maxLength !== undefined && MAX_LENGTH_KEYS.has(key) && typeof value === 'string' && [...value].length > def.maxLength) {
      this.add('error', 'invariant', `Answer is longer than the item's maxLength ${def.maxLength}`, valuePath);
    }
    switch (key) {
      case 'valueInteger':
      case 'valueDecimal':
        if (!choice) {
          this.checkNumber(rules, value as number, key, valuePath);
        }
        this.checkOption(def, rules, key, value, valuePath, choice);
        break;
      case 'valueDate':
      case 'valueDateTime':
      case 'valueTime':
        if (!choice) {
          this.checkTemporal(rules, value as string, key, valuePath);
        }
        this.checkOption(def, rules, key, value, valuePath, choice);
        break;
      case 'valueString':
        this.checkString(def, rules, value as string, valuePath, choice);
        break;
      case 'valueCoding':
        this.checkCoding(def, rules, value as Coding, valuePath, answerCount);
        break;
      case 'valueAttachment':
        this.checkAttachment(rules, value as Attachment, valuePath);
        break;
      case 'valueReference':
        this.checkReference(rules, value as Reference, valuePath);
        this.checkReferenceOption(def, rules, value as Reference, valuePath);
        break;
      case 'valueQuantity':
        this.checkQuantity(rules, value as Quantity, valuePath);
        break;
      default:
        break;
    }
  }

  /** minValue / maxValue (integer, decimal) and maxDecimalPlaces (decimal). */
  private checkNumber(rules: ItemRules, value: number, key: string, path: string): void {
    if (typeof value !== 'number') {
      return;
    }
    if (typeof rules.minValue === 'number' && value < rules.minValue) {
      this.add('error', 'invariant', `Answer is less than the item's minValue ${rules.minValue}`, path);
    }
    if (typeof rules.maxValue === 'number' && value > rules.maxValue) {
      this.add('error', 'invariant', `Answer is greater than the item's maxValue ${rules.maxValue}`, path);
    }
    if (key === 'valueDecimal' && rules.maxDecimalPlaces !== undefined && decimalPlaces(value) > rules.maxDecimalPlaces) {
      this.add('error', 'invariant', `Answer has more than the ${rules.maxDecimalPlaces} decimal places allowed (maxDecimalPlaces)`, path);
    }
  }

  /** minValue / maxValue on date, dateTime and time answers. */
  private checkTemporal(rules: ItemRules, value: string, key: string, path: string): void {
    if (typeof value !== 'string') {
      return;
    }
    const cmp = key === 'valueTime' ? compareTime : compareDate;
    if (typeof rules.minValue === 'string') {
      const c = cmp(value, rules.minValue);
      if (c !== undefined && c < 0) {
        this.add('error', 'invariant', `Answer is before the item's minValue ${rules.minValue}`, path);
      }
    }
    if (typeof rules.maxValue === 'string') {
      const c = cmp(value, rules.maxValue);
      if (c !== undefined && c > 0) {
        this.add('error', 'invariant', `Answer is after the item's maxValue ${rules.maxValue}`, path);
      }
    }
  }

  /** Integer, decimal, date, dateTime, time answers against the item's answerOption of that type. */
  private checkOption(def: QuestionnaireItem, rules: ItemRules, key: string, value: unknown, path: string, choice: boolean): void {
    if (!def.answerOption?.length) {
      return;
    }
    const options = rules.options.get(key) ?? (key === 'valueDateTime' ? rules.options.get('valueDate') : undefined) ?? [];
    if (options.length === 0) {
      if (!(choice && def.type === 'open-choice')) {
        this.add('error', 'invariant', `The item has answer options, but none of the answer's type ${key.slice(5)}`, path);
      }
      return;
    }
    if (!options.includes(value)) {
      this.add('error', 'code-invalid', "Answer is not one of the item's answer options", path);
    }
  }

  /** string / text answers (and open-choice free text): minLength, regex, newlines, value set, options. */
  private checkString(def: QuestionnaireItem, rules: ItemRules, value: string, path: string, choice: boolean): void {
    if (typeof value !== 'string') {
      return;
    }
    if (!choice) {
      if (rules.minLength !== undefined && [...value].length < rules.minLength) {
        this.add('error', 'invariant', `Answer is shorter than the item's minLength ${rules.minLength}`, path);
      }
      if (def.type === 'string' && rules.regex && !rules.regex.test(value)) {
        this.add('error', 'invariant', "Answer does not match the item's regex", path);
      }
      if (def.type === 'string' && /[\r\n]/.test(value)) {
        this.add('warning', 'invariant', 'A string answer should not contain line breaks (use an item of type text)', path);
      }
      if (def.type === 'string' && def.answerValueSet) {
        const expansion = this.expander.expand(canonicalUrl(def.answerValueSet));
        if (!expansion) {
          this.add('warning', 'not-found', "The item's answerValueSet could not be found: answer not checked", path);
        } else if (ValueSetExpander.member(expansion, undefined, value) === 'no') {
          this.add('error', 'code-invalid', "Answer is not in the item's answerValueSet", path);
        }
      }
    }
    if (!def.answerOption?.length) {
      return;
    }
    const strings = rules.options.get('valueString') ?? [];
    if (def.type === 'open-choice') {
      const codings = (rules.options.get('valueCoding') ?? []) as Coding[];
      const lower = value.toLowerCase();
      if (codings.some((c) => c.display?.toLowerCase() === lower || c.code?.toLowerCase() === lower)) {
        this.add('warning', 'invariant', 'Free-text answer matches one of the coded answer options: send the Coding', path);
      }
      return;
    }
    if (strings.length === 0) {
      this.add('error', 'invariant', 'The item has answer options, but none of type string', path);
    } else if (!strings.includes(value)) {
      this.add('error', 'code-invalid', "Answer is not one of the item's answer options", path);
    }
  }

  /** Coding answers: answerOption (system and code equal; optionExclusive), else answerValueSet. */
  private checkCoding(def: QuestionnaireItem, rules: ItemRules, coding: Coding, path: string, answerCount: number): void {
    if (def.answerOption?.length) {
      const codings = (rules.options.get('valueCoding') ?? []) as Coding[];
      if (codings.length === 0) {
        this.add('error', 'invariant', 'The item has answer options, but none of type Coding', path);
        return;
      }
      const match = codings.find((o) => o.system === coding.system && o.code === coding.code);
      if (!match) {
        this.add('error', 'code-invalid', "Answer is not one of the item's answer options", path);
      } else if (answerCount > 1 && rules.exclusive.has(`${match.system ?? ''}|${match.code ?? ''}`)) {
        this.add('error', 'invariant', 'An exclusive answer option (questionnaire-optionExclusive) cannot be given with other answers', path);
      }
      return;
    }
    if (!def.answerValueSet) {
      return;
    }
    if (def.type === 'open-choice' && !coding.code && !coding.system && coding.display) {
      return;
    }
    const expansion = this.expander.expand(canonicalUrl(def.answerValueSet));
    if (!expansion) {
      this.add('warning', 'not-found', "The item's answerValueSet could not be found: answer not checked", path);
      return;
    }
    if (typeof coding.code === 'string' && ValueSetExpander.member(expansion, coding.system, coding.code) === 'no') {
      this.add('error', 'code-invalid', "Answer is not in the item's answerValueSet", path);
    }
  }

  /** mimeType (content type required, prefix match) and maxSize (decoded bytes). */
  private checkAttachment(rules: ItemRules, attachment: Attachment, path: string): void {
    if (rules.mimeTypes.length > 0) {
      if (!attachment.contentType) {
        this.add('error', 'required', 'Attachment has no contentType, but the item restricts it (mimeType)', path);
      } else if (!rules.mimeTypes.some((m) => attachment.contentType?.startsWith(m))) {
        this.add('error', 'invalid', `Attachment contentType is not one of the item's mimeTypes ${rules.mimeTypes.join(', ')}`, `${path}.contentType`);
      }
    }
    if (rules.maxSize !== undefined && typeof attachment.data === 'string' && base64Bytes(attachment.data) > rules.maxSize) {
      this.add('error', 'invalid', `Attachment is larger than the item's maxSize ${rules.maxSize} bytes`, `${path}.data`);
    }
  }

  /** questionnaire-referenceResource: the reference's resource type must be one of those allowed. */
  private checkReference(rules: ItemRules, ref: Reference, path: string): void {
    if (rules.referenceTypes.length === 0 || typeof ref.reference !== 'string' || ref.reference.startsWith('#')) {
      return;
    }
    const type = referenceType(ref.reference);
    if (!type) {
      this.add('error', 'invalid', 'Cannot tell the resource type of the reference, but the item restricts it (questionnaire-referenceResource)', `${path}.reference`);
    } else if (!rules.referenceTypes.includes(type)) {
      this.add(
        'error',
        'invalid',
        `Reference is to a resource type the item does not allow (questionnaire-referenceResource: ${rules.referenceTypes.join(', ')})`,
        `${path}.reference`
      );
    }
  }

  /** Reference answers against answerOption references (same literal reference). */
  private checkReferenceOption(def: QuestionnaireItem, rules: ItemRules, ref: Reference, path: string): void {
    const options = (rules.options.get('valueReference') ?? []) as Reference[];
    if (!def.answerOption?.length || options.length === 0) {
      return;
    }
    if (!options.some((o) => o.reference !== undefined && o.reference === ref.reference)) {
      this.add('error', 'code-invalid', "Answer is not one of the item's answer options", path);
    }
  }

  /** sdc min/maxQuantity, maxDecimalPlaces, unitOption, unitValueSet. */
  private checkQuantity(rules: ItemRules, q: Quantity, path: string): void {
    for (const [bound, isMin] of [
      [rules.minQuantity, true],
      [rules.maxQuantity, false],
    ] as const) {
      if (!bound || typeof q.value !== 'number' || typeof bound.value !== 'number') {
        continue;
      }
      const name = isMin ? 'minQuantity' : 'maxQuantity';
      const c = compareQuantity(q, bound);
      if (c === undefined) {
        this.add('error', 'invariant', `Answer cannot be compared with the item's ${name}: units differ or are not coded`, path);
      } else if (isMin ? c < 0 : c > 0) {
        this.add('error', 'invariant', `Answer is ${isMin ? 'less' : 'greater'} than the item's ${name}`, path);
      }
    }
    if (rules.maxDecimalPlaces !== undefined && typeof q.value === 'number' && decimalPlaces(q.value) > rules.maxDecimalPlaces) {
      this.add('error', 'invariant', `Answer has more than the ${rules.maxDecimalPlaces} decimal places allowed (maxDecimalPlaces)`, `${path}.value`);
    }
    if (rules.unitOptions.length > 0 && !rules.unitOptions.some((u) => unitMatches(q, u))) {
      this.add('error', 'invariant', "Answer's unit is not one of the item's unit options (questionnaire-unitOption)", path);
    }
    if (rules.unitValueSet) {
      const expansion = this.expander.expand(canonicalUrl(rules.unitValueSet));
      if (!expansion) {
        this.add('warning', 'not-found', "The item's unit value set (questionnaire-unitValueSet) could not be found: unit not checked", path);
      } else if (typeof q.code !== 'string' || ValueSetExpander.member(expansion, q.system, q.code) === 'no') {
        this.add('error', 'code-invalid', "Answer's unit is not in the item's unit value set (questionnaire-unitValueSet)", path);
      }
    }
  }

  private findAnywhere(linkId: string): QuestionnaireItem | undefined {
    let map = linkIdCache.get(this.questionnaire);
    if (!map) {
      const built = new Map<string, QuestionnaireItem>();
      const walk = (items: readonly QuestionnaireItem[]): void => {
        for (const it of items) {
          if (!built.has(it.linkId)) {
            built.set(it.linkId, it);
          }
          walk(it.item ?? []);
        }
      };
      walk(this.questionnaire.item ?? []);
      linkIdCache.set(this.questionnaire, built);
      map = built;
    }
    return map.get(linkId);
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

/** Derives (once per Questionnaire item) what its extensions and answerOptions constrain. */
function itemRules(def: QuestionnaireItem): ItemRules {
  const hit = rulesCache.get(def);
  if (hit) {
    return hit;
  }
  const exts = def.extension ?? [];
  const all = (url: string): Extension[] => exts.filter((e) => e.url === url);
  const one = (url: string): Extension | undefined => exts.find((e) => e.url === url);
  const num = (url: string): number | undefined => {
    const v = extValue(one(url));
    return typeof v === 'number' ? v : undefined;
  };
  const options = new Map<string, unknown[]>();
  const exclusive = new Set<string>();
  for (const o of def.answerOption ?? []) {
    const key = Object.keys(o).find((k) => k.startsWith('value'));
    if (!key) {
      continue;
    }
    options.set(key, [...(options.get(key) ?? []), (o as Record<string, unknown>)[key]]);
    if (key === 'valueCoding' && isExclusive(o)) {
      exclusive.add(`${o.valueCoding?.system ?? ''}|${o.valueCoding?.code ?? ''}`);
    }
  }
  const regexExt = one(EXT.regex);
  const rules: ItemRules = {
    minValue: extValue(one(EXT.minValue)),
    maxValue: extValue(one(EXT.maxValue)),
    minLength: num(EXT.minLength),
    regex: regexExt ? compileRegex(extValue(regexExt)) : undefined,
    maxDecimalPlaces: num(EXT.maxDecimalPlaces),
    minOccurs: num(EXT.minOccurs),
    maxOccurs: num(EXT.maxOccurs),
    mimeTypes: all(EXT.mimeType).map(extValue).filter((v): v is string => typeof v === 'string'),
    maxSize: num(EXT.maxSize),
    referenceTypes: all(EXT.referenceResource).map(extValue).filter((v): v is string => typeof v === 'string'),
    unitOptions: all(EXT.unitOption).map((e) => e.valueCoding).filter((c): c is Coding => c !== undefined),
    unitValueSet: ((): string | undefined => {
      const v = extValue(one(EXT.unitValueSet));
      return typeof v === 'string' ? v : undefined;
    })(),
    minQuantity: one(EXT.minQuantity)?.valueQuantity,
    maxQuantity: one(EXT.maxQuantity)?.valueQuantity,
    options,
    exclusive,
  };
  rulesCache.set(def, rules);
  return rules;
}

function extValue(ext: Extension | undefined): unknown {
  if (!ext) {
    return undefined;
  }
  const key = Object.keys(ext).find((k) => k.startsWith('value'));
  return key ? (ext as unknown as Record<string, unknown>)[key] : undefined;
}

function isExclusive(o: QuestionnaireItemAnswerOption): boolean {
  return (o.extension ?? []).some((e) => e.url === EXT.optionExclusive && e.valueBoolean === true);
}

/** A regex extension's pattern, anchored (Java `String.matches` matches the whole answer). */
function compileRegex(pattern: unknown): RegExp | null {
  if (typeof pattern !== 'string') {
    return null;
  }
  try {
    return new RegExp(`^(?:${pattern})$`, 'u');
  } catch {
    return null;
  }
}

function decimalPlaces(value: number): number {
  const s = String(value);
  if (s.includes('e-')) {
    const [mantissa, exp] = s.split('e-');
    return decimalPlaces(Number(mantissa)) + Number(exp);
  }
  const dot = s.indexOf('.');
  return dot < 0 ? 0 : s.length - dot - 1;
}

/** Decoded size of base64 data (whitespace ignored). */
function base64Bytes(data: string): number {
  const clean = data.replace(/\s+/g, '');
  const padding = clean.endsWith('==') ? 2 : clean.endsWith('=') ? 1 : 0;
  return Math.floor((clean.length * 3) / 4) - padding;
}

/** The resource type of a relative or absolute literal reference (`Type/id[/_history/v]`). */
function referenceType(reference: string): string | undefined {
  const m = /(?:^|\/)([A-Z][A-Za-z]+)\/[A-Za-z0-9\-.]{1,64}(?:\/_history\/[A-Za-z0-9\-.]{1,64})?$/.exec(reference.split('?')[0]);
  return m?.[1];
}

function unitMatches(q: Quantity, option: Coding): boolean {
  return (
    (!option.system || option.system === q.system) &&
    (!option.code || option.code === q.code) &&
    (!option.display || option.display === q.unit)
  );
}

/**
 * Compares two quantities: same system and code directly, two UCUM units through
 * @lhncbc/ucum-lhc conversion; undefined when they cannot be compared.
 */
function compareQuantity(a: Quantity, b: Quantity): number | undefined {
  const av = a.value as number;
  const bv = b.value as number;
  if (!a.system || !a.code || !b.system || !b.code) {
    return undefined;
  }
  if (a.system === b.system && a.code === b.code) {
    return Math.sign(av - bv);
  }
  if (a.system !== UCUM || b.system !== UCUM) {
    return undefined;
  }
  const converted = ucumConvert(a.code, av, b.code);
  return converted === undefined ? undefined : Math.sign(converted - bv);
}

interface UcumUtils {
  convertUnitTo(from: string, value: number, to: string): { status: string; toVal?: number };
}
let ucumUtils: UcumUtils | null | undefined;

/** Converts a UCUM value between commensurable units (ucum-lhc loaded on first use). */
function ucumConvert(from: string, value: number, to: string): number | undefined {
  if (ucumUtils === undefined) {
    try {
      const req = createRequire(import.meta.url);
      const pkg = req('@lhncbc/ucum-lhc') as { UcumLhcUtils: { getInstance(): UcumUtils } };
      ucumUtils = pkg.UcumLhcUtils.getInstance();
    } catch {
      ucumUtils = null;
    }
  }
  if (!ucumUtils) {
    return undefined;
  }
  try {
    const r = ucumUtils.convertUnitTo(from, value, to);
    return r.status === 'succeeded' && typeof r.toVal === 'number' ? r.toVal : undefined;
  } catch {
    return undefined;
  }
}

/** Dates/dateTimes compared as instants (a partial date is taken at its start, UTC). */
function compareDate(a: string, b: string): number | undefined {
  const ta = Date.parse(a.length === 4 ? `${a}-01-01` : a.length === 7 ? `${a}-01` : a);
  const tb = Date.parse(b.length === 4 ? `${b}-01-01` : b.length === 7 ? `${b}-01` : b);
  if (Number.isNaN(ta) || Number.isNaN(tb)) {
    return undefined;
  }
  return Math.sign(ta - tb);
}

function compareTime(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
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
