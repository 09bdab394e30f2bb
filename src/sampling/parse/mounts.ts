// /proc/mounts -> the set of mount points (proc(5), fstab(5)): a watched disk that is not mounted must not be
// reported with the numbers of the filesystem underneath it (statfs on an empty /data answers for /).

/** fstab(5) escapes space, tab, newline and backslash in paths as \040, \011, \012, \134. */
function unescapeOctal(path: string): string {
  return path.replace(/\\([0-7]{3})/g, (_, octal: string) => String.fromCharCode(parseInt(octal, 8)));
}

export function parseMountPoints(text: string): Set<string> {
  const points = new Set<string>();
  for (const line of text.split("\n")) {
    const field = line.split(" ")[1];
    if (field) points.add(unescapeOctal(field));
  }
  return points;
}
