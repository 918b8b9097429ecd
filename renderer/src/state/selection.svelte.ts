/**
 * The selected dataset row (shared by both views, the inspector and retrieval) and what the latent
 * view's colours show. A new dataset clears the selection and picks a colouring it supports;
 * overlaying a second run colours by run and gives the colouring back after.
 */
import type { DatasetSummary } from '../../../electron/shared/contract';
import { TRUTH_SCALAR } from './view-models';

export class Selection {
  /** The selected dataset row. */
  row = $state<number | null>(null);
  colorBy = $state('label');
  private colorBeforeOverlay: string | null = null;

  select(row: number | null): void {
    this.row = row;
  }

  /** The next (delta > 0) or previous row of `rows`, wrapping; the first or last when none is selected. */
  step(delta: number, rows: number): void {
    if (rows === 0) return;
    this.row = this.row === null ? (delta > 0 ? 0 : rows - 1) : (this.row + delta + rows) % rows;
  }

  /** A dataset became current: nothing selected, coloured by label or else by the true coordinate. */
  datasetShown(summary: DatasetSummary): void {
    this.row = null;
    this.colorBy = summary.hasLabels ? 'label' : summary.truth.coordinates ? TRUTH_SCALAR : 'label';
  }

  /** Two runs are overlaid (their points are labelled by run), or no longer. */
  overlaid(on: boolean): void {
    if (on) {
      this.colorBeforeOverlay ??= this.colorBy;
      this.colorBy = 'label';
    } else if (this.colorBeforeOverlay !== null) {
      this.colorBy = this.colorBeforeOverlay;
      this.colorBeforeOverlay = null;
    }
  }
}
