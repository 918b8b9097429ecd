/**
 * The inspector's and the retrieval panel's requests for the selected row: `inspect` (original,
 * reconstruction, code, the Jacobian's singular values, nearest neighbours) and `retrieve`
 * (query by example: the k nearest in code or Hamming space, precision@k and AP). A newer request
 * wins: an older reply that arrives late is dropped.
 */
import type { CallResult, ExplorerApi, InspectResult } from '../../../electron/shared/contract';
import { errorText } from './format';

export type RetrieveResult = CallResult<'retrieve'>;

export class InspectState {
  result = $state.raw<InspectResult | null>(null);
  loading = $state(false);
  error = $state<string | null>(null);
  private key = '';

  constructor(private readonly api: ExplorerApi) {}

  async load(runId: string | null, index: number | null): Promise<void> {
    const key = `${runId}:${index}`;
    if (key === this.key) return;
    this.key = key;
    this.error = null;
    if (runId === null || index === null) {
      this.result = null;
      return;
    }
    this.loading = true;
    try {
      const r = await this.api.inspect({ runId, index, neighbors: 8 });
      if (this.key === key) this.result = r;
    } catch (e) {
      if (this.key === key) {
        this.error = errorText(e);
        this.result = null;
      }
    } finally {
      if (this.key === key) this.loading = false;
    }
  }
}

export class RetrievalState {
  k = $state(24);
  space = $state<'code' | 'hamming'>('hamming');
  /** Hamming ball radius (hashing); null = the k nearest. */
  radius = $state<number | null>(null);
  result = $state.raw<RetrieveResult | null>(null);
  /** The query row of `result`. */
  query = $state<number | null>(null);
  loading = $state(false);
  error = $state<string | null>(null);
  private seq = 0;

  constructor(private readonly api: ExplorerApi) {}

  async search(runId: string | null, index: number | null, hashing: boolean): Promise<void> {
    const id = ++this.seq;
    this.error = null;
    if (runId === null || index === null) {
      this.result = null;
      this.query = null;
      return;
    }
    const space = hashing ? this.space : 'code';
    this.loading = true;
    try {
      const r = await this.api.retrieve({
        runId,
        query: { index },
        k: Math.max(1, Math.min(1000, Math.round(this.k) || 24)),
        space,
        ...(space === 'hamming' && this.radius !== null && this.radius >= 0 ? { radius: this.radius } : {}),
      });
      if (id === this.seq) {
        this.result = r;
        this.query = index;
      }
    } catch (e) {
      if (id === this.seq) {
        this.error = errorText(e);
        this.result = null;
      }
    } finally {
      if (id === this.seq) this.loading = false;
    }
  }
}
