// The JSON routes of /api/v1: status, one service, plan (dry run), change, up/down/restart, svc.
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { TransitionCall, TransitionFlags, TransitionOp, TransitionResultData } from '../daemon/types.js';
import { usage } from './errors.js';
import { clientGone, sendAnswer, sendError, splitNames, type HttpContext, type RouteDef } from './context.js';
import * as s from './schemas.js';

const errors = { '4xx': s.errorSchema, '5xx': s.errorSchema };

interface FlagsBody {
  force?: boolean;
  timeoutMs?: number;
  jobs?: number;
  deps?: boolean;
}

const flagsOf = (b: FlagsBody | null | undefined, dryRun = false): TransitionFlags => ({ dryRun, force: b?.force ?? false, timeoutMs: b?.timeoutMs ?? 0, jobs: b?.jobs ?? 0, noWait: false });

const transitionShape = (exitCode: number, d: TransitionResultData) => ({ exitCode, ...(d.summary ? { summary: d.summary } : {}), notes: d.notes });

async function runTransition(ctx: HttpContext, reply: FastifyReply, call: TransitionCall): Promise<FastifyReply> {
  const answer = await ctx.host.transition(call, { signal: clientGone(reply) });
  return sendAnswer(reply, answer, transitionShape);
}

const services: RouteDef = {
  method: 'GET',
  url: '/api/v1/services',
  summary: 'Every service\'s status, as `rc status --json` (or those of ?names=a,b, bundles expanded)',
  changes: false,
  produces: 'application/json',
  schema: { querystring: s.servicesQuerySchema, response: { 200: s.servicesSchema, ...errors } },
  handle: (ctx, req, reply) => sendAnswer(reply, ctx.host.status(splitNames((req.query as { names?: string }).names)), (_c, d) => d),
};

const service: RouteDef = {
  method: 'GET',
  url: '/api/v1/services/:name',
  summary: 'One service\'s status row',
  changes: false,
  produces: 'application/json',
  schema: { params: s.nameParamsSchema, response: { 200: s.serviceSchema, ...errors } },
  handle(ctx, req, reply) {
    const { name } = req.params as { name: string };
    if (ctx.host.db.bundle(name)) return sendError(reply, usage(`${name} is a bundle, not a service`, `GET /api/v1/services?names=${name} lists its services`));
    const a = ctx.host.status([name]);
    return sendAnswer(reply, a, (_c, d) => ({ service: d.services[0] }));
  },
};

const plan: RouteDef = {
  method: 'GET',
  url: '/api/v1/plan',
  summary: 'The plan of `rc change NAMES` without running it (a dry run): ?change=a,b',
  changes: false,
  produces: 'application/json',
  schema: { querystring: s.planQuerySchema, response: { 200: s.planSchema, ...errors } },
  async handle(ctx, req, reply) {
    const names = splitNames((req.query as { change: string }).change);
    const a = await ctx.host.transition({ op: 'change', names, ...flagsOf(null, true) }, { signal: clientGone(reply) });
    return sendAnswer(reply, a, (exitCode, d) => ({ exitCode, plan: d.plan, notes: d.notes }));
  },
};

const change: RouteDef = {
  method: 'POST',
  url: '/api/v1/change',
  summary: 'Bring exactly the targets (and their dependencies) up, everything else down: `rc change`',
  changes: true,
  produces: 'application/json',
  schema: { body: s.changeBodySchema, response: { 200: s.transitionSchema, ...errors } },
  handle(ctx, req, reply) {
    const body = req.body as { targets: string[] } & FlagsBody;
    return runTransition(ctx, reply, { op: 'change', names: body.targets, ...flagsOf(body) });
  },
};

function action(op: Exclude<TransitionOp, 'change'>, summary: string): RouteDef {
  return {
    method: 'POST',
    url: `/api/v1/services/:name/${op}`,
    summary,
    changes: true,
    produces: 'application/json',
    schema: { params: s.nameParamsSchema, body: s.actionBodySchema, response: { 200: s.transitionSchema, ...errors } },
    handle(ctx, req: FastifyRequest, reply) {
      const body = req.body as FlagsBody | null | undefined;
      const call: TransitionCall = { op, names: [(req.params as { name: string }).name], ...flagsOf(body) };
      return runTransition(ctx, reply, op === 'restart' ? { ...call, deps: body?.deps ?? false } : call);
    },
  };
}

const svc: RouteDef = {
  method: 'POST',
  url: '/api/v1/services/:name/svc',
  summary: 'Send s6-svc letters to a longrun\'s supervisor (`rc svc`), e.g. {"letters": "h"}',
  changes: true,
  produces: 'application/json',
  schema: { params: s.nameParamsSchema, body: s.svcBodySchema, response: { 200: s.okSchema, ...errors } },
  handle(ctx, req, reply) {
    const letters = (req.body as { letters: string }).letters.split('') as Parameters<HttpContext['host']['svc']>[1];
    return sendAnswer(reply, ctx.host.svc([(req.params as { name: string }).name], letters), (exitCode) => ({ exitCode }));
  },
};

export const API_ROUTES: RouteDef[] = [
  services,
  service,
  plan,
  change,
  action('up', 'Bring a service (and its dependencies) up: `rc up`'),
  action('down', 'Bring a service (and its dependents) down: `rc down`'),
  action('restart', 'Restart a service: `rc restart` (body {"deps": true} restarts its dependents too)'),
  svc,
];
