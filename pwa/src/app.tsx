import type { ComponentType } from "preact";
import { useEffect, useState } from "preact/hooks";
import { ApiError, api, clientSettings, type Me, setCsrfToken } from "./api";
import { type Area, areasOf } from "./areas";
import { type Language, language, onLanguageChange, setLanguage, t } from "./i18n";
import { NotFoundPage } from "./pages/not-found";
import { PlayPage } from "./pages/play";
import { matchPath, navigate, type Params, useLocation } from "./router";
import { Session } from "./session";

type PageProps = { params: Params };
type PageModule = { default: ComponentType<PageProps> };
type Route =
  | { pattern: string; page: ComponentType<PageProps> }
  | { pattern: string; load: () => Promise<PageModule> };

/** One loader for all of the game's screens, so moving between them keeps the game loaded. */
const playGame = () => import("./play/screens");

/** Staff pages load on demand, so a student's phone downloads only the play area. */
const ROUTES: Route[] = [
  { pattern: "/", load: () => import("./pages/home") },
  { pattern: "/play", page: PlayPage },
  { pattern: "/j/:code", page: PlayPage },
  { pattern: "/play/trail", load: playGame },
  { pattern: "/play/station/:id", load: playGame },
  { pattern: "/play/finish", load: playGame },
  { pattern: "/q/:code", load: playGame },
  { pattern: "/s/:token", load: () => import("./souvenir/souvenir") },
  { pattern: "/login", load: () => import("./pages/login") },
  { pattern: "/author", load: () => import("./author/list") },
  { pattern: "/author/trails/:id", load: () => import("./author/editor") },
  { pattern: "/author/trails/:id/statistics", load: () => import("./pages/statistics") },
  { pattern: "/teach", load: () => import("./teach/teach") },
  { pattern: "/teach/visits/:id", load: () => import("./teach/visit") },
  { pattern: "/teach/visits/:id/beamer", load: () => import("./teach/beamer") },
  { pattern: "/teach/visits/:id/results", load: () => import("./teach/results") },
  { pattern: "/partners", load: () => import("./pages/partners") },
  { pattern: "/partners/partnerships/:id", load: () => import("./partnerships/partnership") },
  { pattern: "/partners/partnerships/:id/report", load: () => import("./partnerships/report") },
  { pattern: "/partners/agreements/:id/print", load: () => import("./partnerships/print") },
  { pattern: "/partners/district/:district", load: () => import("./partnerships/district") },
  {
    pattern: "/partners/district/:district/good-practice",
    load: () => import("./partnerships/good-practice"),
  },
  { pattern: "/partners/lernweg/:id", load: () => import("./partnerships/lernweg") },
  { pattern: "/organisations/:id", load: () => import("./partnerships/profile") },
  { pattern: "/catalogue", load: () => import("./partnerships/catalogue") },
  { pattern: "/account", load: () => import("./pages/account") },
  { pattern: "/notifications", load: () => import("./notifications/list") },
  { pattern: "/invite", load: () => import("./pages/invite") },
  { pattern: "/password-forgotten", load: () => import("./pages/password-forgotten") },
  { pattern: "/password-reset", load: () => import("./pages/password-reset") },
  { pattern: "/email-confirm", load: () => import("./pages/email-confirm") },
];

const ME_CACHE = "openparcours.me";
const LOGGED_IN = "openparcours.loggedIn";
const DEMO = "openparcours.demo";

/** Who was logged in, kept for this tab only, so the shell still knows its user offline. */
function cachedMe(): Me | null {
  try {
    return JSON.parse(sessionStorage.getItem(ME_CACHE) ?? "null") as Me | null;
  } catch {
    return null;
  }
}

function cacheMe(me: Me | null): void {
  try {
    if (me) {
      sessionStorage.setItem(ME_CACHE, JSON.stringify({ ...me, csrf_token: "" }));
      localStorage.setItem(LOGGED_IN, areasOf(me).join(","));
    } else {
      sessionStorage.removeItem(ME_CACHE);
      localStorage.removeItem(LOGGED_IN);
    }
  } catch {
    // Without storage the shell simply forgets its user when offline.
  }
}

/** The areas of whoever logged in on this browser before, or null if nobody is: students'
 * phones never ask the server who they are, and the header keeps its shape while it asks. */
function lastAreas(): Area[] | null {
  try {
    const stored = localStorage.getItem(LOGGED_IN);
    return stored === null ? null : (stored.split(",").filter(Boolean) as Area[]);
  } catch {
    return [];
  }
}

/** A demo server's pages say so on every page; remembered, so the banner is there at once. */
function useDemo(): boolean {
  const [demo, setDemo] = useState(() => {
    try {
      return localStorage.getItem(DEMO) !== null;
    } catch {
      return false;
    }
  });
  useEffect(() => {
    clientSettings().then(
      (settings) => {
        setDemo(settings.demo);
        try {
          if (settings.demo) localStorage.setItem(DEMO, "1");
          else localStorage.removeItem(DEMO);
        } catch {
          // Without storage the banner follows the server's answer.
        }
      },
      () => undefined,
    );
  }, []);
  return demo;
}

function Lazy({ load, params }: { load: () => Promise<PageModule> } & PageProps) {
  const [module, setModule] = useState<PageModule | null>(null);
  const [failed, setFailed] = useState(false);
  useEffect(() => {
    let alive = true;
    setModule(null);
    load().then(
      (m) => alive && setModule(m),
      () => alive && setFailed(true),
    );
    return () => {
      alive = false;
    };
  }, [load]);
  if (failed)
    return (
      <p role="alert" class="alert">
        {t("error.network")}
      </p>
    );
  if (!module) return <p>{t("app.loading")}</p>;
  const Page = module.default;
  return <Page params={params} />;
}

/** The staff's links (their areas, notifications, account), loaded with the first staff page:
 * a student's phone never downloads them. */
const staffNav = () => import("./staff-nav");

function Header({ me, onLogout }: { me: Me | null | undefined; onLogout: () => void }) {
  const path = useLocation().split("?")[0];
  // While the server is asked who is there, the header shows what it showed last time.
  const pending = me === undefined;
  const areas = pending ? (lastAreas() ?? []) : areasOf(me);
  // The game's screens keep the header small: a student needs the language, not staff links.
  if (GAME_PATH.test(path))
    return (
      <header class="site-header in-game">
        <a class="brand" href="/">
          <img src="/favicon.svg" alt="" width="22" height="22" />
          {t("app.name")}
        </a>
        <LanguageChoice />
      </header>
    );
  return (
    <header class="site-header">
      <a class="brand" href="/">
        <img src="/favicon.svg" alt="" width="28" height="28" />
        {t("app.name")}
      </a>
      <nav aria-label={t("nav.label")}>
        {(me || pending) && <Lazy load={staffNav} params={{ areas: areas.join() }} />}
      </nav>
      <div class="header-tools">
        {me ? (
          <>
            <span class="who">{t("nav.signedInAs", { name: me.display_name })}</span>
            <button type="button" class="button-quiet" onClick={onLogout}>
              {t("nav.logout")}
            </button>
          </>
        ) : pending ? (
          <button
            type="button"
            class="button-quiet placeholder"
            disabled
            aria-hidden="true"
            tabIndex={-1}
          >
            {t("nav.logout")}
          </button>
        ) : (
          path !== "/login" && <a href="/login">{t("nav.login")}</a>
        )}
        <LanguageChoice />
      </div>
    </header>
  );
}

// The game's screens and a team's souvenir page (for parents at home).
const GAME_PATH = /^\/(play|j|q|s)(\/|$)/;

function LanguageChoice() {
  return (
    <label class="language">
      <span class="visually-hidden">{t("nav.language")}</span>
      <select
        value={language()}
        onChange={(e) => setLanguage((e.target as HTMLSelectElement).value as Language)}
      >
        <option value="de" lang="de">
          Deutsch
        </option>
        <option value="en" lang="en">
          English
        </option>
      </select>
    </label>
  );
}

export function App() {
  const path = useLocation();
  // null at once where nobody logged in, so the header does not change after the first paint.
  const [me, setMeState] = useState<Me | null | undefined>(() =>
    lastAreas() === null ? null : undefined,
  );
  const [, rerender] = useState(0);
  const demo = useDemo();
  const setMe = (next: Me | null) => {
    cacheMe(next);
    setMeState(next);
  };
  useEffect(() => onLanguageChange(() => rerender((n) => n + 1)), []);
  useEffect(() => {
    if (lastAreas() === null) return;
    api<Me>("/me").then(setMe, (error) => {
      // Only a clear 401 means "logged out"; offline, the tab keeps the user it had.
      if (error instanceof ApiError && error.status === 401) setMe(null);
      else setMeState(cachedMe());
    });
  }, []);

  const logout = async () => {
    try {
      await api("/auth/logout", { method: "POST" });
    } finally {
      setCsrfToken(null);
      setMe(null);
      navigate("/");
    }
  };

  let content = <NotFoundPage />;
  for (const route of ROUTES) {
    const params = matchPath(route.pattern, path);
    if (!params) continue;
    if ("load" in route) {
      content = <Lazy load={route.load} params={params} />;
    } else {
      const Page = route.page;
      content = <Page params={params} />;
    }
    break;
  }

  return (
    <Session.Provider value={{ me, setMe }}>
      <div>
        <a class="skip-link" href="#main">
          {t("app.skip")}
        </a>
        {demo && (
          <aside class="demo-banner" aria-label="Demo">
            {t("app.demo")}
          </aside>
        )}
        <Header me={me} onLogout={logout} />
        <main id="main">{content}</main>
      </div>
    </Session.Provider>
  );
}
