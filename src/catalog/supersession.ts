/**
 * Service plans that include everything another service plan offers, so a target holding the
 * superseding plan keeps the source's features although the plan ids differ. Microsoft's table
 * does not say this; each entry names its reason. Ids are lowercase GUIDs from the table.
 */
export interface Supersession {
  plan: { id: string; name: string };
  covers: { id: string; name: string };
  why: string;
}

export const SUPERSESSIONS: readonly Supersession[] = [
  {
    plan: { id: "0feaeb32-d00e-4d66-bd5a-43b5b83db82c", name: "MCOSTANDARD" },
    covers: { id: "afc06cb0-b4f4-4473-8286-d644f70d8faf", name: "MCOIMP" },
    why: "Skype for Business Online (Plan 2) adds meetings to Plan 1's IM, presence and peer-to-peer audio/video.",
  },
  {
    plan: { id: "094e7854-93fc-4d55-b2c0-3ab5369ebdc1", name: "OFFICE_BUSINESS" },
    covers: { id: "c63d4d19-e8cb-460e-b37c-4d6c34603745", name: "OFFICEMOBILE_SUBSCRIPTION" },
    why:
      "Microsoft 365 Apps for business (in Business Standard and Premium) includes the Office mobile apps that " +
      "Business Basic grants as OFFICEMOBILE_SUBSCRIPTION; without this, Basic → Standard would look like a feature loss.",
  },
  {
    plan: { id: "a31ef4a2-f787-435e-8335-e47eb0cafc94", name: "MCOSTANDARD_GOV" },
    covers: { id: "8a9f17f1-5872-44e8-9b11-3caade9dc90f", name: "MCOIMP_GOV" },
    why: "The government variants of the same two plans.",
  },
];
