export * from './auth.module';
export * from './auth.service';
export * from './jwt-auth.guard';
export * from './users/user.entity';
export * from './users/users.service';
export * from './tokens/access-token';
export * from './dto/permissions.response';
export * from './dto/grant.dto';
