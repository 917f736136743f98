/**
 * Contraindication and precaution screening (docs/kap-model.md `screening`), at assessment and updatable at any
 * session: each item asked is `present`, `absent` or `unknown`; `noneKnown: true` records "none known" (no item may
 * then be `present`). Items are those of the Spravato and ketamine labels' contraindications and warnings. Maps to
 * one Observation per item (and one "none known").
 */
import { z } from 'zod';
import { kapDateTimeSchema } from './primitives.js';

/** The screening items (local `kap-screening`). */
export const SCREENING_ITEMS = [
  'pregnancy',
  'psychosis-or-mania-history',
  'substance-use-disorder',
  'aneurysmal-vascular-disease-or-avm',
  'intracerebral-hemorrhage-history',
  'uncontrolled-hypertension',
  'ketamine-hypersensitivity',
] as const;
/** A screening item. */
export type ScreeningItem = (typeof SCREENING_ITEMS)[number];

/** The answer to one screening item. */
export const SCREENING_RESULTS = ['present', 'absent', 'unknown'] as const;
/** The answer to one screening item. */
export type ScreeningResult = (typeof SCREENING_RESULTS)[number];

/** A screening: when, the items asked, and "none known". */
export const screeningSchema = z
  .strictObject({
    screenedAt: kapDateTimeSchema,
    noneKnown: z.boolean().default(false),
    findings: z.partialRecord(z.enum(SCREENING_ITEMS), z.enum(SCREENING_RESULTS)).default({}),
  })
  .superRefine((s, ctx) => {
    if (!s.noneKnown && Object.keys(s.findings).length === 0) {
      ctx.addIssue({ code: 'custom', path: ['findings'], message: 'Record the items screened, or "noneKnown": true' });
    }
    if (s.noneKnown) {
      for (const [item, result] of Object.entries(s.findings)) {
        if (result === 'present') {
          ctx.addIssue({ code: 'custom', path: ['findings', item], message: '"noneKnown" with an item present' });
        }
      }
    }
  });
/** A screening. */
export type Screening = z.infer<typeof screeningSchema>;
