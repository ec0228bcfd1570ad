import type { Platform } from "./platform.types.js";

const UNITS = ["B", "KiB", "MiB", "GiB", "TiB"] as const;

/** Says whether the platform is the lab and what its scale means for the sizes shown. */
export class PlatformService {
  constructor(private readonly lab?: { bytesPerGiB: number }) {}

  describe(): Platform {
    if (!this.lab) return { lab: false, bytesPerGiB: null, note: null };
    return {
      lab: true,
      bytesPerGiB: this.lab.bytesPerGiB,
      note: `Lab: 1 GiB here is ${realSize(this.lab.bytesPerGiB)} on this machine; every size is shown in lab units.`,
    };
  }
}

/** 1048576 → "1 MiB"; a scale that is no whole unit keeps its bytes. */
function realSize(bytes: number): string {
  let i = 0;
  let v = bytes;
  while (v >= 1024 && v % 1024 === 0 && i < UNITS.length - 1) {
    v /= 1024;
    i++;
  }
  return `${v} ${UNITS[i]}`;
}
