import { BootLogger } from './boot-logger';

describe('BootLogger', () => {
  let written: string[];
  let spy: jest.SpyInstance;
  beforeEach(() => {
    written = [];
    spy = jest.spyOn(process.stderr, 'write').mockImplementation((chunk) => {
      written.push(String(chunk));
      return true;
    });
  });
  afterEach(() => spy.mockRestore());

  it('says nothing at the default level, even for errors: the start command prints the reason', () => {
    const logger = new BootLogger('info');
    logger.log('ConfigModule dependencies initialized', 'InstanceLoader');
    logger.error('Unable to connect to the database', 'stack…', 'TypeOrmModule');
    expect(written).toEqual([]);
  });

  it('prints every line, with its context and stack, at debug', () => {
    const logger = new BootLogger('debug');
    logger.log('ConfigModule dependencies initialized', 'InstanceLoader');
    logger.error(new Error('connect ECONNREFUSED'), 'Error: at net.js', 'ExceptionHandler');
    expect(written).toEqual([
      'boot log [InstanceLoader] ConfigModule dependencies initialized\n',
      'boot error [ExceptionHandler] connect ECONNREFUSED\nError: at net.js\n',
    ]);
  });
});
