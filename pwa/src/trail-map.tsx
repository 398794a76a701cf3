/** The map of a trail (Leaflet, loaded only where a map is shown). In the editor, a click
 * places the chosen station and markers can be dragged; in the game it shows the stations,
 * which are done, and the team's position. Circles show the check-in radius. Without tiles it
 * is a blank canvas; coordinates and the station list do the same job. */
import L from "leaflet";
import { useEffect, useRef } from "preact/hooks";
import type { Station } from "./author/types";
import { baseMap, fitTo } from "./map-base";

export interface MapProps {
  stations: Pick<Station, "title" | "lat" | "lon" | "radius_m" | "checkin">[];
  selected: number;
  tileUrl: string;
  attribution: string;
  /** Editing: place or move a station. Without it the map only shows. */
  onPlace?: (index: number, lat: number, lon: number) => void;
  /** Indexes of stations to mark as done. */
  done?: number[];
  here?: { lat: number; lon: number } | null;
  label?: string;
}

function pin(label: string, active: boolean, done: boolean): L.DivIcon {
  return L.divIcon({
    className: `map-pin${active ? " map-pin-active" : ""}${done ? " map-pin-done" : ""}`,
    html: `<span>${label}</span>`,
    iconSize: [32, 32],
    iconAnchor: [16, 16],
  });
}

export default function TrailMap({
  stations,
  selected,
  tileUrl,
  attribution,
  onPlace,
  done = [],
  here,
  label,
}: MapProps) {
  const element = useRef<HTMLDivElement>(null);
  const map = useRef<L.Map | null>(null);
  const layer = useRef<L.LayerGroup | null>(null);
  const props = useRef({ selected, onPlace });
  props.current = { selected, onPlace };

  useEffect(() => {
    const instance = baseMap(element.current!, tileUrl, attribution);
    instance.on("click", (event: L.LeafletMouseEvent) =>
      props.current.onPlace?.(props.current.selected, event.latlng.lat, event.latlng.lng),
    );
    layer.current = L.layerGroup().addTo(instance);
    map.current = instance;
    fitTo(
      instance,
      stations.filter((s) => s.lat !== null).map((s) => [s.lat!, s.lon!]),
      17,
    );
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
        L.circle(position, {
          radius: station.radius_m,
          color: "#0b5d57",
          weight: 2,
          fillOpacity: 0.12,
        }).addTo(group);
      }
      const editable = !!props.current.onPlace;
      const marker = L.marker(position, {
        icon: pin(String(index + 1), index === selected, done.includes(index)),
        draggable: editable,
        title: station.title,
        keyboard: editable,
      });
      marker.on("dragend", () => {
        const { lat, lng } = marker.getLatLng();
        props.current.onPlace?.(index, lat, lng);
      });
      marker.addTo(group);
    });
    if (here)
      L.circleMarker([here.lat, here.lon], {
        radius: 9,
        color: "#fff",
        weight: 3,
        fillColor: "#1a5fd0",
        fillOpacity: 1,
      }).addTo(group);
  }, [stations, selected, done.join(), here?.lat, here?.lon]);

  return (
    // biome-ignore lint/a11y/useAriaPropsSupportedByRole: both roles, application and region, take a label
    <div
      ref={element}
      class="trail-map"
      role={onPlace ? "application" : "region"}
      aria-label={label ?? "Karte"}
    />
  );
}
