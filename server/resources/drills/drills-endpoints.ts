import { z } from 'zod';
import { Drill, DrillCreate, DrillEnd, DrillList, Id } from '../../../shared/schemas';
import { endpoint, permission } from '../../http/endpoint';
import {
  endDrill,
  getDrill,
  listDrills,
  onlyCoordinatorsDrill,
  onlyRegionMembersSeeDrills,
  startDrill,
} from './drills';
import { canListDrills, canRunDrills } from './drills-policy';

const tag = 'drills';
const DrillParams = z.object({ id: Id.describe('drill id') });

/** Rehearsals of a region with made-up tasks (SPEC.md, Reports; docs/drills.md). */
export const drillsEndpoints = [
  endpoint({
    method: 'post',
    path: '/drills',
    tag,
    summary:
      "Start a drill of your region (coordinator): posts a scripted wave of `tasks` made-up tasks over the region's " +
      'communes in incident (or all of them), marked as an exercise and seen only in exercise mode',
    permission: permission.policy(canRunDrills, onlyCoordinatorsDrill),
    body: DrillCreate,
    responses: { 201: { description: 'The running drill', schema: Drill } },
    problems: { 409: 'A drill is already running in the region (`drill_running`)' },
    handle: ({ ctx, actor, body }) => startDrill(ctx, actor, body),
  }),

  endpoint({
    method: 'get',
    path: '/drills',
    tag,
    summary: "Your region's running drill (`running`), and for the coordinator the ended ones with their reports",
    permission: permission.policy(canListDrills, onlyRegionMembersSeeDrills),
    responses: { 200: { description: 'The running drill and the history', schema: DrillList } },
    handle: ({ ctx, actor }) => listDrills(ctx, actor),
  }),

  endpoint({
    method: 'get',
    path: '/drills/:id',
    tag,
    summary: 'A drill of your region, with its report once ended',
    permission: permission.policy(canListDrills, onlyRegionMembersSeeDrills),
    params: DrillParams,
    responses: { 200: { description: 'The drill', schema: Drill } },
    handle: ({ ctx, actor, params }) => getDrill(ctx, actor, params.id),
  }),

  endpoint({
    method: 'post',
    path: '/drills/:id/end',
    tag,
    summary:
      'End a running drill (coordinator): its report (time to first claim, claims and done per commune, overdue at ' +
      'the end, tasks posted) is kept, and every trace of its made-up tasks is deleted',
    permission: permission.policy(canRunDrills, onlyCoordinatorsDrill),
    params: DrillParams,
    body: DrillEnd,
    responses: { 200: { description: 'The ended drill with its report', schema: Drill } },
    problems: { 409: 'The drill has ended already (`drill_ended`)' },
    handle: ({ ctx, actor, params }) => endDrill(ctx, actor, params.id),
  }),
];
