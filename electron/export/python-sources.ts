/** The generated package's Python sources, bundled as text (see raw.d.ts). */
import modelPy from './python/model.py?raw';
import lossPy from './python/loss.py?raw';
import trainPy from './python/train.py?raw';
import weightsPy from './python/weights.py?raw';
import istaPy from './python/ista.py?raw';

export const PYTHON_SOURCES: Readonly<Record<string, string>> = {
  'model.py': modelPy,
  'loss.py': lossPy,
  'train.py': trainPy,
  'weights.py': weightsPy,
  'ista.py': istaPy,
};
