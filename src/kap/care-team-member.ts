/**
 * A KAP care-team member (docs/kap-model.md `careTeam[]`): therapist, prescriber, sitter or
 * administering clinician; `external` marks an outside collaborating prescriber. Maps to FHIR
 * Practitioner + a CareTeam participant.
 */
import { z } from 'zod';
import { humanNameSchema, kapIdSchema, npiSchema } from './primitives.js';

/** Care roles (the local `kap-care-role` code system, docs/conventions.md). */
export const CARE_ROLES = ['therapist', 'prescriber', 'sitter', 'administering-clinician'] as const;
/** A care role. */
export type CareRole = (typeof CARE_ROLES)[number];

/**
 * One member of the care team. `external: false` is normalised away (absence means "not external"),
 * so a parsed member carries `external` only when it is `true`.
 */
export const careTeamMemberSchema = z
  .strictObject({
    id: kapIdSchema,
    name: humanNameSchema,
    roles: z.array(z.enum(CARE_ROLES)).min(1),
    npi: npiSchema.optional(),
    external: z.boolean().optional(),
  })
  .superRefine((m, ctx) => {
    if (new Set(m.roles).size !== m.roles.length) {
      ctx.addIssue({ code: 'custom', path: ['roles'], message: 'Duplicate role' });
    }
  })
  .transform(({ external, ...rest }): Omit<typeof rest, never> & { external?: true } =>
    external === true ? { ...rest, external: true } : rest
  );
/** One member of the care team. */
export type CareTeamMember = z.infer<typeof careTeamMemberSchema>;
