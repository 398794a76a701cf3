/** Scanning a station's QR code with the camera. The decoder (jsQR) is bundled with the app
 * and loads only when a team opens the scanner; it works offline like the rest. */
import jsQR from "jsqr";
import { useEffect, useRef, useState } from "preact/hooks";
import { t } from "../i18n";
import "./messages";

const SCAN_EVERY_MS = 150;

/** What a code holds: the station URL …/q/CODE, or the bare code. */
export function codeFromScan(text: string): string | null {
  const match = /\/q\/([A-Za-z0-9]{4,20})\/?$/.exec(text.trim());
  if (match) return match[1];
  return /^[A-Za-z0-9]{4,20}$/.test(text.trim()) ? text.trim() : null;
}

function stopCamera(stream: MediaStream): void {
  for (const track of stream.getTracks()) track.stop();
}

export default function Scanner({
  onCode,
  onClose,
}: {
  onCode: (code: string) => void;
  onClose: () => void;
}) {
  const video = useRef<HTMLVideoElement>(null);
  const canvas = useRef<HTMLCanvasElement>(null);
  const [problem, setProblem] = useState<string | null>(null);

  useEffect(() => {
    let stream: MediaStream | null = null;
    let timer: number | undefined;
    let stopped = false;
    const scan = () => {
      const v = video.current;
      const c = canvas.current;
      if (stopped || !v || !c) return;
      if (v.readyState >= v.HAVE_CURRENT_DATA && v.videoWidth) {
        c.width = v.videoWidth;
        c.height = v.videoHeight;
        const context = c.getContext("2d", { willReadFrequently: true })!;
        context.drawImage(v, 0, 0);
        const found = jsQR(context.getImageData(0, 0, c.width, c.height).data, c.width, c.height);
        const code = found ? codeFromScan(found.data) : null;
        if (code) {
          onCode(code);
          return;
        }
      }
      timer = window.setTimeout(scan, SCAN_EVERY_MS);
    };
    navigator.mediaDevices
      ?.getUserMedia({ video: { facingMode: "environment" }, audio: false })
      .then(async (s) => {
        stream = s;
        if (stopped) return stopCamera(s);
        video.current!.srcObject = s;
        await video.current!.play();
        scan();
      })
      .catch(() => setProblem(t("play.noCamera")));
    if (!navigator.mediaDevices) setProblem(t("play.noCamera"));
    return () => {
      stopped = true;
      window.clearTimeout(timer);
      if (stream) stopCamera(stream);
    };
  }, []);

  return (
    <div class="scanner">
      <video ref={video} muted playsInline aria-label={t("play.cameraView")} />
      <canvas ref={canvas} hidden />
      <p role="status">{problem ?? t("play.pointCamera")}</p>
      <button type="button" class="button-quiet" onClick={onClose}>
        {t("play.close")}
      </button>
    </div>
  );
}
