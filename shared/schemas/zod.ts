/** The one zod instance of the project, extended with `.openapi()` so schemas document themselves. */
import { extendZodWithOpenApi } from '@asteasolutions/zod-to-openapi';
import { z } from 'zod';

extendZodWithOpenApi(z);

export { z };
