/** The session as the whole app sees it: undefined while loading, null when logged out. */
import { createContext } from "preact";
import { useContext } from "preact/hooks";
import type { Me } from "./api";

export interface SessionState {
  me: Me | null | undefined;
  setMe: (me: Me | null) => void;
}

export const Session = createContext<SessionState>({ me: undefined, setMe: () => {} });

export function useSession(): SessionState {
  return useContext(Session);
}
