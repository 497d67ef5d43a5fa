/** Zero crossings of the sinc kept on each side of a tap: ≈70 dB stopband with the Blackman window. */
const ZERO_CROSSINGS = 16;
/** Cutoff as a fraction of the lower Nyquist frequency, leaving room for the window's transition band. */
const CUTOFF = 0.92;

function blackman(x: number): number {
  // x in [-1, 1]
  const t = Math.PI * (x + 1);
  return 0.42 - 0.5 * Math.cos(t) + 0.08 * Math.cos(2 * t);
}

/**
 * Band-limited resampling with a Blackman-windowed sinc (the CPU reference; no GPU kernel yet). The low-pass
 * sits at 0.92 × the lower of the two Nyquist frequencies, so downsampling 48 kHz to 16 kHz passes up to
 * ≈7.4 kHz and removes what would alias. Each output's taps are normalised to sum 1 (unit gain at DC, also
 * at the clip's edges, where the kernel is cut). Output length: round(length × to / from).
 */
export function resample(input: Float32Array, from: number, to: number): Float32Array {
  if (from === to) return input.slice();
  const outLength = Math.round((input.length * to) / from);
  const out = new Float32Array(outLength);
  const step = from / to; // input samples per output sample
  const cutoff = 0.5 * Math.min(1, to / from) * CUTOFF; // cycles per input sample
  const half = ZERO_CROSSINGS / (2 * cutoff); // kernel half-width in input samples
  for (let i = 0; i < outLength; i++) {
    const t = i * step;
    const lo = Math.max(0, Math.ceil(t - half));
    const hi = Math.min(input.length - 1, Math.floor(t + half));
    let acc = 0;
    let norm = 0;
    for (let j = lo; j <= hi; j++) {
      const x = j - t;
      const arg = 2 * Math.PI * cutoff * x;
      const w = (x === 0 ? 1 : Math.sin(arg) / arg) * blackman(x / half);
      acc += input[j]! * w;
      norm += w;
    }
    out[i] = norm === 0 ? 0 : acc / norm;
  }
  return out;
}
