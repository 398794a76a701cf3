import type { OrganisationRef } from "../api";

export interface Contact {
  name: string;
  role: string;
  email: string | null;
  phone?: string | null;
}

export interface AgreementContent {
  goals: string;
  activities: string;
  subjects: string[];
  grades: number[];
  curriculum: string;
  contacts_school: Contact[];
  contacts_institution: Contact[];
  visits_per_year: number | null;
  booking_privilege: boolean;
  costs: string;
}

export type AgreementStatus = "draft" | "proposed" | "signed" | "active" | "ended" | "superseded";

export interface Agreement {
  id: number;
  partnership: { id: number; school: OrganisationRef; institution: OrganisationRef };
  number: number;
  status: AgreementStatus;
  warnings: string[];
  content: AgreementContent;
  starts_on: string | null;
  ends_on: string | null;
  review_on: string | null;
  ended_on: string | null;
  trails: { id: number; title: string; description: string }[];
  signatures: { organisation: OrganisationRef; signer_name: string; signer_role: string; signed_at: string }[];
}

export interface PartnershipSummary {
  partnership: Agreement["partnership"];
  current: Agreement | null;
  open: Agreement | null;
  warnings: string[];
}

export interface PartnershipDetail extends PartnershipSummary {
  versions: { id: number; number: number; status: AgreementStatus; signed_at: string | null }[];
}
