/** Maps load with their own chunk (Leaflet), only where a map is shown. */
import type { ComponentType } from "preact";
import { useEffect, useState } from "preact/hooks";
import { t } from "./i18n";
import type { MapProps } from "./trail-map";

export type { MapProps };

/** A component whose module is imported when it first renders; "Wird geladen" until then. */
export function lazyMap<P extends object>(
  load: () => Promise<{ default: ComponentType<P> }>,
): (props: P) => preact.JSX.Element {
  return function Lazy(props: P) {
    const [Loaded, setLoaded] = useState<ComponentType<P> | null>(null);
    useEffect(() => {
      load().then((m) => setLoaded(() => m.default));
    }, []);
    return Loaded ? <Loaded {...props} /> : <div class="trail-map">{t("app.loading")}</div>;
  };
}

export const LazyMap = lazyMap<MapProps>(() => import("./trail-map"));
