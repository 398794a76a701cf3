/** The phone's GPS and compass, for the way to a station. */
import { useEffect, useState } from "preact/hooks";
import { sync } from "./game";

/** Distance and direction from the phone's GPS; a code-2 error is a hiccup, not the end. */
export function useGps(enabled: boolean) {
  const [position, setPosition] = useState<GeolocationPosition | null>(null);
  const [denied, setDenied] = useState(false);
  useEffect(() => {
    if (!enabled || !("geolocation" in navigator)) return;
    const id = navigator.geolocation.watchPosition(
      (next) => {
        setPosition(next);
        sync.notePosition(next.coords);
      },
      (error) => {
        if (error.code === error.PERMISSION_DENIED) setDenied(true);
      },
      { enableHighAccuracy: true, maximumAge: 5000 },
    );
    return () => navigator.geolocation.clearWatch(id);
  }, [enabled]);
  return { position, denied };
}

/** Where the phone points (degrees from north), where it has a compass; else null. */
export function useHeading(): number | null {
  const [heading, setHeading] = useState<number | null>(null);
  useEffect(() => {
    const update = (event: DeviceOrientationEvent & { webkitCompassHeading?: number }) => {
      if (typeof event.webkitCompassHeading === "number") setHeading(event.webkitCompassHeading);
      else if (event.absolute && event.alpha !== null) setHeading(360 - event.alpha);
    };
    const name =
      "ondeviceorientationabsolute" in window ? "deviceorientationabsolute" : "deviceorientation";
    window.addEventListener(name, update as EventListener);
    return () => window.removeEventListener(name, update as EventListener);
  }, []);
  return heading;
}

export function bearing(lat1: number, lon1: number, lat2: number, lon2: number): number {
  const rad = Math.PI / 180;
  const y = Math.sin((lon2 - lon1) * rad) * Math.cos(lat2 * rad);
  const x =
    Math.cos(lat1 * rad) * Math.sin(lat2 * rad) -
    Math.sin(lat1 * rad) * Math.cos(lat2 * rad) * Math.cos((lon2 - lon1) * rad);
  return (Math.atan2(y, x) / rad + 360) % 360;
}
