/** Partnerships and their agreements as the API sends them. */
import type { Schema } from "../api";

export type Contact = Schema<"Contact">;
export type AgreementContent = Schema<"AgreementContent">;
export type Agreement = Schema<"Agreement">;
export type AgreementStatus = Agreement["status"];
export type PartnershipSummary = Schema<"PartnershipSummary">;
export type PartnershipDetail = Schema<"PartnershipDetail">;
