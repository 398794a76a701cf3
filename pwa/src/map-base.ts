/** What every Leaflet map of the app starts from: its tiles and North Rhine-Westphalia in view
 * until it knows better. Without tiles the map is a blank canvas and the lists beside it do
 * the same job. */
import L from "leaflet";
import "leaflet/dist/leaflet.css";
import "./trail-map.css";

const FALLBACK_CENTER: L.LatLngTuple = [51.4332, 7.6616]; // the middle of North Rhine-Westphalia

export function baseMap(element: HTMLElement, tileUrl: string, attribution: string): L.Map {
  const map = L.map(element, { zoomControl: true }).setView(FALLBACK_CENTER, 8);
  L.tileLayer(tileUrl, { attribution, maxZoom: 19 }).addTo(map);
  return map;
}

/** Fit the view to the points that have a position, if any. */
export function fitTo(map: L.Map, points: L.LatLngTuple[], maxZoom: number): void {
  if (points.length) map.fitBounds(L.latLngBounds(points), { maxZoom, padding: [40, 40] });
}
