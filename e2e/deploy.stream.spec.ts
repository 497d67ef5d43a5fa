import { readFileSync } from 'node:fs';
import AxeBuilder from '@axe-core/playwright';
import type { Page } from '@playwright/test';
import { AUDIO_RATE, fitClip } from '../src/engine/data/ingest/audioFiles';
import { parseWav } from '../src/engine/data/ingest/wav';
import { trimPadding } from '../src/engine/infer/resample';
import { expect, test } from './fixtures/harness';

const audio = (name: string) => readFileSync(new URL(`../test/fixtures/audio/${name}`, import.meta.url));
const silero = readFileSync(new URL('../test/fixtures/onnx/silero_vad_v5.onnx', import.meta.url));
const FRAME = 512;

/** The clip as the WAV import stores it (16 kHz, band-limited resampling), without its zero padding. */
function stored(name: string): Float32Array {
  const wav = parseWav(new Uint8Array(audio(name)), name);
  const n = Math.round((wav.samples.length * AUDIO_RATE) / wav.sampleRate);
  const out = new Float32Array(n);
  fitClip(wav.samples, wav.sampleRate, n, out, 0);
  return trimPadding(out);
}

/** RMS of each frame's new samples (frame k = samples [512k, 512(k+1)), as the stream cuts them). */
function frameRms(x: Float32Array): number[] {
  const out: number[] = [];
  for (let s = 0; s < x.length; s += FRAME) {
    let e = 0;
    for (let i = s; i < s + FRAME; i++) e += (x[i] ?? 0) ** 2;
    out.push(Math.sqrt(e / FRAME));
  }
  return out;
}

const speech = stored('Front_Center.wav');
const noise = stored('Noise.wav');
const speechRms = frameRms(speech);
const loudest = Math.max(...speechRms);
// Speech frames: those within 20 dB of the clip's loudest frame (RMS ≥ 0.1 × the max). The voice sits in
// two bursts ("front", "center"); the frames around and between them are near-silent (RMS < 0.002 at 16 kHz).
const speechFrames = speechRms.flatMap((r, i) => (r >= 0.1 * loudest ? [i] : []));

/** The two fixtures as ONE audio dataset through the Data page's file picker (row 1 speech, row 2 noise). */
async function importAudioAndModel(page: Page): Promise<void> {
  await page.goto('/');
  await expect(page.getByTestId('stats-run')).toBeVisible();
  await page.getByLabel('Choose files…').setInputFiles([
    { name: 'Front_Center.wav', mimeType: 'audio/wav', buffer: audio('Front_Center.wav') },
    { name: 'Noise.wav', mimeType: 'audio/wav', buffer: audio('Noise.wav') },
  ]);
  await expect(page.getByTestId('dataset-summary')).toContainText('2 rows');
  await page.goto('/#/deploy');
  await page
    .getByTestId('model-file')
    .setInputFiles({ name: 'silero_vad_v5.onnx', mimeType: 'application/octet-stream', buffer: silero });
  await expect(page.getByTestId('stream-panel')).toBeVisible();
  await expect(page.getByTestId('stream-dataset')).toContainText('2 clips');
}

/** Streams row `row` on `ep`; returns the per-frame scores after checking the EP that ran. */
async function stream(page: Page, ep: 'wasm' | 'webgpu', row: number): Promise<number[]> {
  const panel = page.getByTestId('stream-panel');
  await panel.getByTestId('stream-ep').selectOption(ep);
  await panel.getByTestId('stream-row').fill(String(row));
  await panel.getByTestId('stream-run').click();
  const result = panel.getByTestId('stream-result');
  await expect(result.or(panel.getByTestId('stream-error'))).toBeVisible({ timeout: 60_000 });
  await expect(panel.getByTestId('stream-error')).toHaveCount(0);
  await expect(result).toHaveAttribute('data-ep', ep);
  await expect(result).toHaveAttribute('data-cancelled', 'false');
  await expect(panel.getByTestId('stream-chart')).toBeVisible();
  console.log(await result.locator('p').first().innerText());
  return JSON.parse((await result.getAttribute('data-scores'))!) as number[];
}

function expectVad(speechScores: number[], noiseScores: number[]): void {
  expect(speechScores).toHaveLength(Math.ceil(speech.length / FRAME));
  expect(noiseScores).toHaveLength(Math.ceil(noise.length / FRAME));
  expect(speechFrames.length).toBeGreaterThanOrEqual(10);
  const hits = speechFrames.filter((i) => speechScores[i]! > 0.5).length;
  expect(
    hits / speechFrames.length,
    `speech frames ${speechFrames.join(',')} scoring > 0.5`,
  ).toBeGreaterThanOrEqual(0.8);
  expect(Math.max(...noiseScores), 'every noise frame < 0.5').toBeLessThan(0.5);
}

test.describe('deploy: streaming a stateful model (Silero VAD v5)', () => {
  test('on WASM: speech frames score > 0.5, noise frames < 0.5; the plan pairs state → stateN; no serious axe issues', async ({
    page,
  }) => {
    test.setTimeout(60_000);
    await importAudioAndModel(page);
    const s = await stream(page, 'wasm', 1);
    await expect(page.getByTestId('stream-plan')).toContainText('stateN → state (by name)');
    await expect(page.getByTestId('stream-plan')).toContainText('sr = 16000');
    await expect(page.getByTestId('stream-segments').locator('li').first()).toBeVisible();
    expectVad(s, await stream(page, 'wasm', 2));
    const results = await new AxeBuilder({ page }).include('[data-testid="stream-panel"]').analyze();
    const serious = results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
    expect(serious.map((v) => `${v.id}: ${v.help} (${v.nodes.length})`)).toEqual([]);
  });

  // One clip per test (WebGPU runs Silero frame by frame slowly on SwiftShader); each compares with WASM.
  for (const [row, clip] of [
    [1, 'speech'],
    [2, 'noise'],
  ] as const) {
    test(`on WebGPU, the ${clip} clip: the same verdict as WASM, every frame within 1e-3`, async ({
      page,
    }) => {
      test.setTimeout(90_000); // ≈ 40 s with a loaded 2-core machine; WebGPU Silero is ≈ 0.3 s a frame there
      await importAudioAndModel(page);
      const gpu = await stream(page, 'webgpu', row);
      const cpu = await stream(page, 'wasm', row);
      if (clip === 'speech') {
        expect(gpu).toHaveLength(Math.ceil(speech.length / FRAME));
        const hits = speechFrames.filter((i) => gpu[i]! > 0.5).length;
        expect(hits / speechFrames.length).toBeGreaterThanOrEqual(0.8);
      } else {
        expect(gpu).toHaveLength(Math.ceil(noise.length / FRAME));
        expect(Math.max(...gpu), 'every noise frame < 0.5').toBeLessThan(0.5);
      }
      const worst = Math.max(...gpu.map((v, i) => Math.abs(v - cpu[i]!)));
      console.log(
        `WebGPU vs WASM, ${clip}: max |Δscore| ${worst.toExponential(2)} over ${gpu.length} frames`,
      );
      expect(worst).toBeLessThanOrEqual(1e-3);
    });
  }

  test('cancel stops the stream between frames and keeps what it has', async ({ page }) => {
    test.setTimeout(60_000);
    await importAudioAndModel(page);
    const panel = page.getByTestId('stream-panel');
    await panel.getByTestId('stream-ep').selectOption('webgpu');
    await panel.getByTestId('stream-run').click();
    await expect(panel.getByTestId('stream-progress')).toContainText(/[1-9]\d* frames/, { timeout: 30_000 });
    await panel.getByTestId('stream-cancel').click();
    const result = panel.getByTestId('stream-result');
    await expect(result).toHaveAttribute('data-cancelled', 'true', { timeout: 30_000 });
    const frames = Number(await result.getAttribute('data-frames'));
    expect(frames).toBeGreaterThan(0);
    expect(frames).toBeLessThan(Math.ceil(speech.length / FRAME));
  });
});
