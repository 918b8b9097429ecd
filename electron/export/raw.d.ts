// Vite's `?raw` imports: a file's text as a string, bundled into the build (the Python package's
// sources live beside this file as real .py files, readable and checkable on their own).
declare module '*?raw' {
  const text: string;
  export default text;
}
