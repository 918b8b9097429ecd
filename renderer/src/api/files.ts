/** Files the user picked or dropped, as the contract's upload input. */

/**
 * Several files picked or dropped together: the dataset is the first that is not an IDX labels
 * file; the others travel with it (the loader finds an images file's labels beside it).
 */
export async function uploadInput(
  files: readonly File[],
): Promise<{ fileName: string; bytes: Uint8Array; companions?: { fileName: string; bytes: Uint8Array }[] }> {
  const isLabels = (f: File) => /labels[-.]idx1/i.test(f.name);
  const main = files.find((f) => !isLabels(f)) ?? files[0]!;
  const rest = files.filter((f) => f !== main).slice(0, 4);
  const bytesOf = async (f: File) => new Uint8Array(await f.arrayBuffer());
  return {
    fileName: main.name,
    bytes: await bytesOf(main),
    ...(rest.length
      ? {
          companions: await Promise.all(
            rest.map(async (f) => ({ fileName: f.name, bytes: await bytesOf(f) })),
          ),
        }
      : {}),
  };
}
