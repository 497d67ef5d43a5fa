import { useEffect, useRef, useState, type KeyboardEvent } from 'react';
import { useStore } from 'zustand';
import type { CapturedClip, CapturedImage } from '../../engine/data/ingest/capture';
import { coverCrop } from '../../engine/data/ingest/imageDecode';
import { dataStore } from '../../state/dataStore';
import { saveCaptured } from './actions';

/** Side of a captured frame: Teachable Machine's 224 × 224, center-cropped from the camera. */
const FRAME_SIDE = 224;
/** Frames a second while "Hold to record" is held. */
const HOLD_FPS = 8;
/** Length of a recorded clip. */
const CLIP_MS = 1000;
/** Rate clips are decoded at (the stored rate, so the worker does not resample them again). */
const CLIP_RATE = 16_000;

function stop(stream: MediaStream | null): void {
  stream?.getTracks().forEach((t) => t.stop());
}

function counts(items: readonly { label: string }[]): string {
  const by = new Map<string, number>();
  for (const i of items) by.set(i.label, (by.get(i.label) ?? 0) + 1);
  return [...by].map(([l, n]) => `${l === '' ? '(no label)' : l} (${n})`).join(', ');
}

/** Records ~1 s from the microphone with MediaRecorder and decodes it in the page at 16 kHz, mono. */
async function recordClip(stream: MediaStream): Promise<Float32Array> {
  const recorder = new MediaRecorder(stream);
  const parts: Blob[] = [];
  const done = new Promise<void>((resolve, reject) => {
    recorder.ondataavailable = (e) => parts.push(e.data);
    recorder.onstop = () => resolve();
    recorder.onerror = () => reject(new Error('The recording failed'));
  });
  recorder.start();
  await new Promise((r) => setTimeout(r, CLIP_MS));
  recorder.stop();
  await done;
  const bytes = await new Blob(parts, { type: recorder.mimeType }).arrayBuffer();
  const audio = await new OfflineAudioContext(1, 1, CLIP_RATE).decodeAudioData(bytes);
  const mono = new Float32Array(audio.length);
  for (let c = 0; c < audio.numberOfChannels; c++) {
    const ch = audio.getChannelData(c);
    for (let i = 0; i < mono.length; i++) mono[i]! += ch[i]! / audio.numberOfChannels;
  }
  return mono;
}

/**
 * Capture examples as Teachable Machine does: camera frames and microphone clips, each under the label typed
 * at the time, saved as one dataset (frames and clips separately). Camera and microphone stop when the panel
 * goes away (leaving the Data page) and after saving.
 */
export function CapturePanel() {
  const busy = useStore(dataStore, (s) => s.status === 'importing');
  const [label, setLabel] = useState('');
  const [camera, setCamera] = useState<MediaStream | null>(null);
  const [cameraReady, setCameraReady] = useState(false);
  const [mic, setMic] = useState<MediaStream | null>(null);
  const [recording, setRecording] = useState(false);
  const [frames, setFrames] = useState<CapturedImage[]>([]);
  const [clips, setClips] = useState<CapturedClip[]>([]);
  const [problem, setProblem] = useState<string | null>(null);
  const video = useRef<HTMLVideoElement>(null);
  const canvas = useRef<HTMLCanvasElement | null>(null);
  const hold = useRef<number | null>(null);
  const streams = useRef<{ camera: MediaStream | null; mic: MediaStream | null }>({
    camera: null,
    mic: null,
  });

  useEffect(() => {
    const s = streams.current;
    return () => {
      if (hold.current !== null) clearInterval(hold.current);
      stop(s.camera);
      stop(s.mic);
    };
  }, []);

  useEffect(() => {
    const v = video.current;
    if (v === null || camera === null) return;
    v.srcObject = camera;
    v.play().catch(() => undefined); // autoplay of a muted preview is allowed; a failure leaves it paused
  }, [camera]);

  const open = async (kind: 'camera' | 'mic'): Promise<void> => {
    setProblem(null);
    try {
      const stream = await navigator.mediaDevices.getUserMedia(
        kind === 'camera' ? { video: true } : { audio: true },
      );
      streams.current[kind] = stream;
      if (kind === 'camera') setCamera(stream);
      else setMic(stream);
    } catch (e) {
      setProblem(
        `The ${kind === 'camera' ? 'camera' : 'microphone'} is not available: ${(e as Error).message}`,
      );
    }
  };
  const close = (kind: 'camera' | 'mic'): void => {
    stop(streams.current[kind]);
    streams.current[kind] = null;
    if (kind === 'camera') {
      setCamera(null);
      setCameraReady(false);
    } else setMic(null);
  };

  const addFrame = (): void => {
    const v = video.current;
    if (v === null || v.videoWidth === 0) return;
    canvas.current ??= Object.assign(document.createElement('canvas'), {
      width: FRAME_SIDE,
      height: FRAME_SIDE,
    });
    const ctx = canvas.current.getContext('2d', { willReadFrequently: true });
    if (ctx === null) return;
    const crop = coverCrop(v.videoWidth, v.videoHeight, FRAME_SIDE, FRAME_SIDE);
    ctx.drawImage(v, crop.x, crop.y, crop.width, crop.height, 0, 0, FRAME_SIDE, FRAME_SIDE);
    const { data } = ctx.getImageData(0, 0, FRAME_SIDE, FRAME_SIDE);
    const frame = { label: label.trim(), width: FRAME_SIDE, height: FRAME_SIDE, pixels: data.buffer };
    setFrames((old) => [...old, frame]);
  };
  const startHold = (): void => {
    if (hold.current !== null || !cameraReady) return;
    addFrame();
    hold.current = window.setInterval(addFrame, 1000 / HOLD_FPS);
  };
  const endHold = (): void => {
    if (hold.current !== null) clearInterval(hold.current);
    hold.current = null;
  };
  const holdKey = (e: KeyboardEvent, down: boolean): void => {
    if (e.key !== ' ' && e.key !== 'Enter') return;
    e.preventDefault();
    if (down && !e.repeat) startHold();
    else if (!down) endHold();
  };

  const record = async (): Promise<void> => {
    if (mic === null) return;
    setRecording(true);
    setProblem(null);
    try {
      const samples = await recordClip(mic);
      const clip = { label: label.trim(), sampleRate: CLIP_RATE, samples: samples.buffer as ArrayBuffer };
      setClips((old) => [...old, clip]);
    } catch (e) {
      setProblem(`The clip could not be recorded: ${(e as Error).message}`);
    } finally {
      setRecording(false);
    }
  };

  const save = async (kind: 'images' | 'clips'): Promise<void> => {
    // The buffers move to the worker: the lists are emptied whether or not the save succeeds.
    if (kind === 'images') {
      const images = frames;
      setFrames([]);
      close('camera');
      await saveCaptured({ images });
    } else {
      const saved = clips;
      setClips([]);
      close('mic');
      await saveCaptured({ clips: saved });
    }
  };

  return (
    <section aria-labelledby="capture-title" className="panel" data-testid="capture-panel">
      <h2 id="capture-title">Capture</h2>
      <div className="toolbar">
        <label htmlFor="capture-label">Label</label>
        <input
          id="capture-label"
          type="text"
          value={label}
          placeholder="e.g. thumbs up"
          onChange={(e) => setLabel(e.currentTarget.value)}
        />
      </div>
      <div className="toolbar" role="group" aria-label="Camera">
        {camera === null ? (
          <button type="button" onClick={() => void open('camera')}>
            Start camera
          </button>
        ) : (
          <button type="button" onClick={() => close('camera')}>
            Stop camera
          </button>
        )}
        <button type="button" onClick={addFrame} disabled={!cameraReady}>
          Add frame
        </button>
        <button
          type="button"
          disabled={!cameraReady}
          onPointerDown={startHold}
          onPointerUp={endHold}
          onPointerLeave={endHold}
          onKeyDown={(e) => holdKey(e, true)}
          onKeyUp={(e) => holdKey(e, false)}
          onBlur={endHold}
        >
          Hold to record
        </button>
      </div>
      {camera !== null && (
        <video
          ref={video}
          muted
          playsInline
          aria-label="Camera preview"
          width={FRAME_SIDE}
          height={FRAME_SIDE}
          style={{ objectFit: 'cover' }}
          onLoadedData={() => setCameraReady(true)}
        />
      )}
      <p data-testid="captured-frames">
        {frames.length === 0 ? 'No frames yet.' : `${frames.length} frames: ${counts(frames)}`}
      </p>
      <button type="button" onClick={() => void save('images')} disabled={busy || frames.length === 0}>
        Save frames as dataset
      </button>
      <div className="toolbar" role="group" aria-label="Microphone">
        {mic === null ? (
          <button type="button" onClick={() => void open('mic')}>
            Start microphone
          </button>
        ) : (
          <button type="button" onClick={() => close('mic')}>
            Stop microphone
          </button>
        )}
        <button type="button" onClick={() => void record()} disabled={mic === null || recording}>
          {recording ? 'Recording…' : 'Record clip'}
        </button>
      </div>
      <p data-testid="captured-clips">
        {clips.length === 0 ? 'No clips yet.' : `${clips.length} clips: ${counts(clips)}`}
      </p>
      <button type="button" onClick={() => void save('clips')} disabled={busy || clips.length === 0}>
        Save clips as dataset
      </button>
      {problem !== null && (
        <p role="alert" className="error" data-testid="capture-problem">
          {problem}
        </p>
      )}
    </section>
  );
}
