// The dependency graph for the dashboard: a layered layout of the compiled db (dependencies left of their dependents).
import type { AtomicService } from '../db/types.js';

export interface GraphNode {
  name: string;
  type: string;
  layer: number;
  x: number;
  y: number;
}

export interface GraphLayout {
  width: number;
  height: number;
  nodes: GraphNode[];
  /** [dependency, dependent] by name. */
  edges: [string, string][];
}

export const COLUMN = 200;
export const ROW = 36;
const MARGIN = 20;

/** Longest-path layers: a service sits one layer right of its deepest dependency (the db is acyclic). */
function layersOf(services: readonly Pick<AtomicService, 'index' | 'deps'>[]): number[] {
  const layer = new Array<number>(services.length).fill(-1);
  for (const root of services) {
    const stack: [number, number][] = [[root.index, 0]];
    while (stack.length > 0) {
      const top = stack[stack.length - 1]!;
      const deps = services[top[0]]!.deps;
      if (layer[top[0]]! >= 0) stack.pop();
      else if (top[1] < deps.length) {
        const d = deps[top[1]++]!;
        if (layer[d]! < 0) stack.push([d, 0]);
      } else {
        layer[top[0]] = deps.reduce((m, d) => Math.max(m, layer[d]! + 1), 0);
        stack.pop();
      }
    }
  }
  return layer;
}

/** Order each layer by the mean row of a node's dependencies (one barycenter sweep), then by name. */
function rowsOf(services: readonly Pick<AtomicService, 'index' | 'name' | 'deps'>[], layer: number[]): number[] {
  const byLayer: number[][] = [];
  for (const s of services) (byLayer[layer[s.index]!] ??= []).push(s.index);
  const row = new Array<number>(services.length).fill(0);
  for (const members of byLayer) {
    if (!members) continue;
    const weight = (i: number): number => {
      const deps = services[i]!.deps;
      return deps.length === 0 ? -1 : deps.reduce((sum, d) => sum + row[d]!, 0) / deps.length;
    };
    const keyed = members.map((i) => ({ i, w: weight(i) }));
    keyed.sort((a, b) => a.w - b.w || services[a.i]!.name.localeCompare(services[b.i]!.name));
    keyed.forEach((k, r) => (row[k.i] = r));
  }
  return row;
}

export function layoutGraph(services: readonly AtomicService[]): GraphLayout {
  const layer = layersOf(services);
  const row = rowsOf(services, layer);
  const nodes = services.map((s) => ({ name: s.name, type: s.type, layer: layer[s.index]!, x: MARGIN + layer[s.index]! * COLUMN, y: MARGIN + row[s.index]! * ROW }));
  const edges = services.flatMap((s) => s.deps.map((d): [string, string] => [services[d]!.name, s.name]));
  const width = nodes.reduce((m, n) => Math.max(m, n.x), 0) + COLUMN + MARGIN;
  const height = nodes.reduce((m, n) => Math.max(m, n.y), 0) + ROW + MARGIN;
  return { width, height, nodes, edges };
}
