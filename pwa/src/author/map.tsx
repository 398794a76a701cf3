/** The editor's map (Leaflet, loaded only here): click to place the chosen station, drag a
 * marker to move it, circles show the check-in radius. Without tiles it is a blank canvas;
 * the coordinate fields do the same job. */
import L from "leaflet";
import "leaflet/dist/leaflet.css";
import { useEffect, useRef } from "preact/hooks";
import { t } from "../i18n";
import type { Station } from "./types";

export interface MapProps {
  stations: Station[];
  selected: number;
  tileUrl: string;
  attribution: string;
  onPlace: (index: number, lat: number, lon: number) => void;
}

const FALLBACK_CENTER: L.LatLngTuple = [51.4332, 7.6616]; // the middle of North Rhine-Westphalia

function pin(label: string, active: boolean): L.DivIcon {
  return L.divIcon({
    className: active ? "map-pin map-pin-active" : "map-pin",
    html: `<span>${label}</span>`,
    iconSize: [32, 32],
    iconAnchor: [16, 16],
  });
}

export default function TrailMap({ stations, selected, tileUrl, attribution, onPlace }: MapProps) {
  const element = useRef<HTMLDivElement>(null);
  const map = useRef<L.Map | null>(null);
  const layer = useRef<L.LayerGroup | null>(null);
  const props = useRef({ selected, onPlace });
  props.current = { selected, onPlace };

  useEffect(() => {
    const instance = L.map(element.current!, { zoomControl: true }).setView(FALLBACK_CENTER, 8);
    L.tileLayer(tileUrl, { attribution, maxZoom: 19 }).addTo(instance);
    instance.on("click", (event: L.LeafletMouseEvent) => props.current.onPlace(props.current.selected, event.latlng.lat, event.latlng.lng));
    layer.current = L.layerGroup().addTo(instance);
    map.current = instance;
    const located = stations.filter((s) => s.lat !== null);
    if (located.length) instance.fitBounds(L.latLngBounds(located.map((s) => [s.lat!, s.lon!])), { maxZoom: 17, padding: [40, 40] });
    return () => instance.remove();
  }, []);

  useEffect(() => {
    const group = layer.current;
    if (!group) return;
    group.clearLayers();
    stations.forEach((station, index) => {
      if (station.lat === null || station.lon === null) return;
      const position: L.LatLngTuple = [station.lat, station.lon];
      if (station.checkin === "gps" || station.checkin === "gps_qr") {
        L.circle(position, { radius: station.radius_m, color: "#0b5d57", weight: 2, fillOpacity: 0.12 }).addTo(group);
      }
      const marker = L.marker(position, { icon: pin(String(index + 1), index === selected), draggable: true, title: station.title, keyboard: true });
      marker.on("dragend", () => {
        const { lat, lng } = marker.getLatLng();
        props.current.onPlace(index, lat, lng);
      });
      marker.addTo(group);
    });
  }, [stations, selected]);

  return <div ref={element} class="trail-map" role="application" aria-label={t("author.mapLabel")} />;
}
