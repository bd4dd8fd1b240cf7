import { describe, expect, it } from "vitest";
import { calendrierCampagnes, echapperTexte, plierLigne, type CampagneCalendrier } from "./calendrier.ts";

const campagne: CampagneCalendrier = {
  id: 7,
  status: "planned",
  departement_code: "2A",
  departement_nom: "Corse-du-Sud",
  date_lancement: "2027-03-01",
  date_relance1: "2027-03-15",
  date_relance2: "2027-03-29",
  date_relance3: "2027-04-12",
  date_fin: "2027-04-26",
};

describe("campaign calendar (RFC 5545)", () => {
  it("escapes backslashes, semicolons, commas and new lines", () => {
    expect(echapperTexte("a\\b;c,d\ne")).toBe("a\\\\b\\;c\\,d\\ne");
  });

  it("folds lines at 75 octets without cutting a UTF-8 character", () => {
    const line = `SUMMARY:${"é".repeat(80)}`;
    const folded = plierLigne(line);
    const parts = folded.split("\r\n");
    expect(parts.length).toBeGreaterThan(1);
    for (const part of parts) expect(Buffer.byteLength(part, "utf8")).toBeLessThanOrEqual(75);
    for (const part of parts.slice(1)) expect(part.startsWith(" ")).toBe(true);
    expect(parts.map((p, i) => (i === 0 ? p : p.slice(1))).join("")).toBe(line);
    expect(plierLigne("court")).toBe("court");
  });

  it("has one all-day event per step of non-draft campaigns, CRLF line ends", () => {
    const ics = calendrierCampagnes([campagne, { ...campagne, id: 8, status: "draft" }], {
      publicUrl: "https://co.example.test",
      host: "co.example.test",
      now: new Date("2027-01-02T03:04:05Z"),
    });
    expect(ics.startsWith("BEGIN:VCALENDAR\r\nVERSION:2.0\r\n")).toBe(true);
    expect(ics.endsWith("END:VCALENDAR\r\n")).toBe(true);
    expect(ics.replace(/\r\n/g, "")).not.toMatch(/\n|\r/);
    expect(ics.match(/BEGIN:VEVENT/g)).toHaveLength(5);
    expect(ics).toContain("UID:campagne-7-lancement@co.example.test");
    expect(ics).toContain("UID:campagne-7-fin@co.example.test");
    expect(ics).not.toContain("campagne-8-");
    expect(ics).toContain("DTSTART;VALUE=DATE:20270301\r\nDTEND;VALUE=DATE:20270302");
    expect(ics).toContain("DTSTAMP:20270102T030405Z");
    expect(ics).toContain("SUMMARY:Lancement - 2A Corse-du-Sud");
    expect(ics).toContain("URL:https://co.example.test/conservateurs/campagnes/7");
    for (const line of ics.split("\r\n")) expect(Buffer.byteLength(line, "utf8")).toBeLessThanOrEqual(75);
  });
});
