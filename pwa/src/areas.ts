/** Who is logged in and which areas they may use; the server's policy decides the rest. */
import type { Me } from "./api";

export type Area = "author" | "teach" | "partners";

export function areasOf(me: Me | null): Area[] {
  if (!me) return [];
  if (me.is_site_admin) return ["author", "teach", "partners"];
  const areas = new Set<Area>();
  for (const { organisation, roles } of me.memberships) {
    const school = organisation.kind === "school";
    if (!school && (roles.includes("educator") || roles.includes("admin"))) areas.add("author");
    if (
      roles.includes("teacher") ||
      roles.includes("educator") ||
      (school && roles.includes("admin"))
    )
      areas.add("teach");
    // Both sides' staff read their partnerships; the named contacts write in their threads.
    areas.add("partners");
  }
  if (me.network_office_district) areas.add("partners");
  return (["author", "teach", "partners"] as Area[]).filter((area) => areas.has(area));
}

/** Where to go after logging in: `next` when it is a local path, else the first area. */
export function landingPath(me: Me, next: string | null): string {
  if (next?.startsWith("/") && !next.startsWith("//")) return next;
  const [first] = areasOf(me);
  return first ? `/${first}` : "/account";
}
