import type { SimResponse } from '../kit/sim-types.js';

/**
 * Dataverse's error body, `{"error":{"code":"0x…","message":"…"}}` (MicrosoftDocs
 * webapi/compose-http-requests-handle-errors.md). `code` is the hex error code where Microsoft
 * documents one, and empty where Dataverse itself often leaves it empty.
 */
export function dataverseError(
  status: number,
  code: string,
  message: string,
  headers: Record<string, string> = {},
): SimResponse {
  return { status, headers: { 'OData-Version': '4.0', ...headers }, json: { error: { code, message } } };
}

/** An unknown column in $select / $filter / $orderby or a write body. */
export function unknownProperty(entity: string, name: string): SimResponse {
  return dataverseError(
    400,
    '0x80060888',
    `Could not find a property named '${name}' on type 'Microsoft.Dynamics.CRM.${entity}'.`,
  );
}

export function invalidPayloadProperty(entity: string, name: string): SimResponse {
  return dataverseError(
    400,
    '0x80060888',
    `Invalid property '${name}' was found in entity 'Microsoft.Dynamics.CRM.${entity}'.`,
  );
}

export function recordNotFound(entity: string, id: string): SimResponse {
  // As the conditional-operations doc shows it: code empty, the entity's logical name first.
  return dataverseError(404, '', `${entity} With Id = ${id} Does Not Exist`);
}

export function segmentNotFound(segment: string): SimResponse {
  return dataverseError(404, '0x8006088a', `Resource not found for the segment '${segment}'.`);
}

export function badRequest(message: string, code = '0x80060888'): SimResponse {
  return dataverseError(400, code, message);
}

/** A value the column refuses (length, range, option). */
export function validationError(message: string): SimResponse {
  return dataverseError(400, '0x80044331', `A validation error occurred. ${message}`);
}

/** A value of the wrong JSON type for its column. */
export function payloadError(entitySet: string, message: string): SimResponse {
  return dataverseError(
    400,
    '0x80048d19',
    `Error identified in Payload provided by the user for Entity :'${entitySet}', For more information on this error please follow this help link https://go.microsoft.com/fwlink/?linkid=2195293  ----> InnerException : ${message}`,
  );
}
