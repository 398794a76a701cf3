/** The district's map (Leaflet, in its own chunk): schools by partnership status, each status
 * with its own shape as well as colour, institutions as squares, a line for each partnership
 * in force. The legend and the tables beside it say the same in words. */
import L from "leaflet";
import { useEffect, useRef } from "preact/hooks";
import type { Schema } from "../api";
import { baseMap, fitTo } from "../map-base";

export interface CoverageMapProps {
  map: Schema<"CoverageMap">;
  tileUrl: string;
  attribution: string;
  label: string;
}

function marker(kind: string, title: string, position: L.LatLngTuple): L.Marker {
  return L.marker(position, {
    icon: L.divIcon({ className: `coverage-pin coverage-${kind}`, iconSize: [18, 18] }),
    title,
    keyboard: false,
  });
}

export default function CoverageMap({ map, tileUrl, attribution, label }: CoverageMapProps) {
  const element = useRef<HTMLElement>(null);
  useEffect(() => {
    const instance = baseMap(element.current!, tileUrl, attribution);
    const schools = new Map<string, L.LatLngTuple>();
    const points: L.LatLngTuple[] = [];
    for (const school of map.schools) {
      if (school.lat === null || school.lon === null) continue;
      const position: L.LatLngTuple = [school.lat, school.lon];
      schools.set(school.schulnummer, position);
      points.push(position);
      marker(school.status, school.name, position).addTo(instance);
    }
    const institutions = new Map<number, L.LatLngTuple>();
    for (const institution of map.institutions) {
      if (institution.lat === null || institution.lon === null) continue;
      const position: L.LatLngTuple = [institution.lat, institution.lon];
      institutions.set(institution.id, position);
      points.push(position);
      marker("institution", institution.name, position).addTo(instance);
    }
    for (const line of map.lines) {
      const from = schools.get(line.schulnummer);
      const to = institutions.get(line.institution_id);
      if (from && to) L.polyline([from, to], { color: "#0b5d57", weight: 2 }).addTo(instance);
    }
    fitTo(instance, points, 13);
    return () => instance.remove();
  }, [map]);
  return <section ref={element} class="trail-map" aria-label={label} />;
}
