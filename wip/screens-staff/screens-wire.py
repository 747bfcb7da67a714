def sub(p, a, b, count=1):
    s=open(p).read()
    if a not in s: raise SystemExit(f'missing in {p}: {a[:60]}')
    s=s.replace(a,b,count); open(p,'w').write(s)
import os
os.chdir('/work/wt/screens')
sub('shared/store/keys.ts', "export const EntityType = {\n", "export const EntityType = {\n  staff: 'staff',\n")
sub('shared/store/keys.ts', "export const EntityType = {", """/** The staff directory: one small partition (hundreds of people), ordered by team then id. */
export const staffKeys = {
  item: (id: string): Key => ({ pk: `STAFF#${id}`, sk: 'STAFF' }),
  directoryPartition: 'STAFF',
  teamPrefix: (team: string) => `${team}#`,
  directory: (team: string | null, id: string) => ({ gsi1pk: 'STAFF', gsi1sk: `${team ?? '~'}#${id}` }),
};

export const EntityType = {""")
sub('shared/http/routes/index.ts', "import { settingsRoutes } from './settings.js';", "import { settingsRoutes } from './settings.js';\nimport { staffRoutes } from './staff.js';")
sub('shared/http/routes/index.ts', "  ...systemRoutes,\n", "  ...systemRoutes,\n  ...staffRoutes,\n")
sub('shared/store/keys.ts', " * | settings (current)                        | table | SETTINGS                                   | CURRENT                     |",
" * | staff member by id                        | table | STAFF#<id>                                 | STAFF                       |\n * | staff directory, by team then id          | gsi1  | STAFF                                      | <team or ~>#<id>            |\n * | settings (current)                        | table | SETTINGS                                   | CURRENT                     |")
