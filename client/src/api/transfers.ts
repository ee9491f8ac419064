import { TransferRequest, TransferRequestPage, type TransferRequestCreate } from '../../../shared/schemas';
import { call, json } from './client';

/** Transfers of a claim not started between communes: asked for, then accepted or declined by the holder. */
export const transfersApi = {
  request: (taskId: string, body: TransferRequestCreate) =>
    call(TransferRequest, `/tasks/${taskId}/transfer-requests`, json(body)),
  get: (id: string) => call(TransferRequest, `/transfer-requests/${id}`),
  open: () => call(TransferRequestPage, '/transfer-requests'),
  answer: (id: string, answer: 'accept' | 'decline') =>
    call(TransferRequest, `/transfer-requests/${id}/${answer}`, json({})),
};
