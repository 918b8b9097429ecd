/**
 * The window's layout: the theme, which views show, which setup step and which details tab are
 * open, the help and export overlays, and whether files are being dragged over the window.
 */
export type ViewMode = 'latent' | 'data' | 'both';
export type SidePanel = 'data' | 'model' | 'train';
export type RightPanel = 'inspector' | 'compare' | 'retrieval';

export class UiState {
  theme = $state<'dark' | 'light'>('dark');
  view = $state<ViewMode>('latent');
  side = $state<SidePanel>('data');
  right = $state<RightPanel>('inspector');
  helpOpen = $state(false);
  exportOpen = $state(false);
  dragging = $state(false);

  toggleTheme(): void {
    this.theme = this.theme === 'dark' ? 'light' : 'dark';
  }
}
