/** Where a shared file downloads from (GET /api/files/{id}; its thumbnail at …/thumbnail). */
export const fileUrl = (id: string) => `/api/files/${encodeURIComponent(id)}`;
