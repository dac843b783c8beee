process.env.STRATA_TEST_DB = 'embedded';
