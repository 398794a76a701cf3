/** The trail map loads with its own chunk (Leaflet), only where a map is shown. */
import { useEffect, useState } from "preact/hooks";
import { t } from "./i18n";
import type { MapProps } from "./trail-map";

export type { MapProps };

export function LazyMap(props: MapProps) {
  const [TrailMap, setTrailMap] = useState<((p: MapProps) => preact.JSX.Element) | null>(null);
  useEffect(() => {
    import("./trail-map").then((m) => setTrailMap(() => m.default));
  }, []);
  return TrailMap ? <TrailMap {...props} /> : <div class="trail-map">{t("app.loading")}</div>;
}
